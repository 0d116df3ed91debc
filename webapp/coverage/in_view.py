"""The map's "in this view" panel: the citable cameras in a map view, with the top vendors and operators.

A view up to EXACT_VIEW_DEGREES a side is counted exactly through the spatial index. A larger one is summed
from the per-area counts of the counties whose representative point (PostGIS ST_PointOnSurface of the
simplified boundary) lies in the view (`exact: false`), so a national view costs a few thousand rows, not a
million cameras."""

from sqlalchemy import text

from webapp.coverage.breakdown import operator_breakdown, operator_key, vendor_breakdown
from webapp.geo.bbox import BoundingBox
from webapp.geo.public_cameras import citable_counts_in_bbox
from webapp.kernel.extensions import db

EXACT_VIEW_DEGREES = 1.0

COUNTIES_IN_VIEW = text(
    """
    WITH view AS (SELECT ST_MakeEnvelope(:west, :south, :east, :north, 4326) AS box)
    SELECT c.vendor, c.operator, operator_link_agency(c.operator, left(c.geoid, 2)) AS agency_id,
           sum(c.cameras) AS cameras
    FROM areas AS a CROSS JOIN view
    JOIN area_camera_counts AS c ON c.geoid = a.geoid AND c.cameras <> 0
    WHERE a.kind = 'county' AND a.geom_simplified && view.box
      AND ST_Intersects(ST_PointOnSurface(a.geom_simplified), view.box)
    GROUP BY 1, 2, 3
    """
)


def cameras_in_view(bbox: BoundingBox, top: int) -> dict:
    exact = bbox.east - bbox.west <= EXACT_VIEW_DEGREES and bbox.north - bbox.south <= EXACT_VIEW_DEGREES
    if exact:
        rows = citable_counts_in_bbox(bbox)
    else:
        rows = db.session.execute(
            COUNTIES_IN_VIEW,
            {"west": bbox.west, "south": bbox.south, "east": bbox.east, "north": bbox.north},
        ).all()
    return {
        "cameras": int(sum(row.cameras for row in rows)),
        "exact": exact,
        "vendors": vendor_breakdown([(row.vendor, int(row.cameras)) for row in rows], top),
        "operators": operator_breakdown(
            [(operator_key(row.operator, row.agency_id), int(row.cameras)) for row in rows], top
        ),
    }
