"""The map's "in this view" panel: the citable cameras in a map view, with the top vendors and operators
(operators grouped by their linked agency where there is one).

The rows are webapp.geo.public_cameras.citable_counts_in_view's, the same the map's headline count sums
(exact up to a degree a side, summed from the counties in view beyond), so the two never disagree."""

from webapp.coverage.breakdown import operator_breakdown, operator_key, vendor_breakdown
from webapp.geo.bbox import BoundingBox
from webapp.geo.public_cameras import citable_counts_in_view


def cameras_in_view(bbox: BoundingBox, top: int) -> dict:
    rows, exact = citable_counts_in_view(bbox)
    return {
        "cameras": int(sum(row.cameras for row in rows)),
        "exact": exact,
        "vendors": vendor_breakdown([(row.vendor, int(row.cameras)) for row in rows], top),
        "operators": operator_breakdown(
            [(operator_key(row.operator, row.agency_id), int(row.cameras)) for row in rows], top
        ),
    }
