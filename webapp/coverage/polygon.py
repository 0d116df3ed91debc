"""A drawn or uploaded area: the citable cameras inside it, by vendor and operator, per km², and the cameras
themselves (up to POLYGON_MAX_FEATURES; past that the counts stand and the list is left out, saying so).

The polygon is checked by PostGIS before anything is counted: valid (no self-intersection, rings closed and
not crossing), and at most POLYGON_MAX_KM2 on the spheroid, each refusal a 400 that says why."""

import json

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.coverage.breakdown import operator_breakdown, operator_key, vendor_breakdown
from webapp.coverage.shapes import InvalidGeometry, Polygon
from webapp.geo.public_cameras import citable_counts_in_shape, citable_features_in_shape
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraSource, Limits

# The longest a polygon may stretch, in degrees: geography areas of shapes wider than a hemisphere are not
# meaningful, and no area anyone analyses is that wide.
MAX_SPAN_DEGREES = 60.0


def checked_shape(polygons: list[Polygon]) -> tuple[str, float]:
    """The polygons as one GeoJSON MultiPolygon checked by PostGIS (valid, not too large), and its km²;
    InvalidGeometry says why not. Other domains asking about a drawn area (agencies) use it too."""
    lons = [lon for polygon in polygons for ring in polygon for lon, _lat in ring]
    lats = [lat for polygon in polygons for ring in polygon for _lon, lat in ring]
    if max(lons) - min(lons) > MAX_SPAN_DEGREES or max(lats) - min(lats) > MAX_SPAN_DEGREES:
        raise InvalidGeometry(_too_large_message(None))
    shape = json.dumps({"type": "MultiPolygon", "coordinates": polygons})
    check = db.session.execute(
        text(
            "SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, "
            "ST_Area(g::geography) / 1e6 AS km2 "
            "FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON(:shape), 4326) AS g) AS given"
        ),
        {"shape": shape},
    ).one()
    if not check.valid:
        raise InvalidGeometry(
            _(
                "The polygon is not valid (%(reason)s): its edges must not cross or touch themselves, and "
                "parts of a MultiPolygon must not overlap.",
                reason=check.reason,
            )
        )
    if check.km2 > Limits.POLYGON_MAX_KM2:
        raise InvalidGeometry(_too_large_message(check.km2))
    if check.km2 <= 0:
        raise InvalidGeometry(_("The polygon has no area."))
    return shape, float(check.km2)


def _too_large_message(km2: float | None) -> str:
    if km2 is None:
        return _(
            "The polygon is too large: at most %(limit)s km² (and %(span)d degrees across). For states and "
            "counties use /api/v1/coverage/states and /counties.",
            limit=f"{Limits.POLYGON_MAX_KM2:,}",
            span=int(MAX_SPAN_DEGREES),
        )
    return _(
        "The polygon is too large: %(area)s km², at most %(limit)s km². For states and counties use "
        "/api/v1/coverage/states and /counties.",
        area=f"{km2:,.0f}",
        limit=f"{Limits.POLYGON_MAX_KM2:,}",
    )


def polygon_coverage(polygons: list[Polygon], top: int) -> tuple[dict, str | None]:
    """The figures, and the JSON text of the cameras' GeoJSON features (None past POLYGON_MAX_FEATURES)."""
    # At a million cameras the planner's estimate for a county-sized polygon passes jit_above_cost, and
    # compiling the query costs more than running it; parallel workers for some 40,000 rows made the slow
    # tail longer on a busy machine (docs/benchmarks.md, "Coverage", 2026-12-07). Both off for the rest of
    # this request's transaction.
    db.session.execute(text("SET LOCAL jit = off"))
    db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    shape, km2 = checked_shape(polygons)
    counts = citable_counts_in_shape(shape)
    total = sum(row.cameras for row in counts)
    vendors = [(row.vendor, row.cameras) for row in counts]
    operators = [(operator_key(row.operator, row.agency_id), row.cameras) for row in counts]
    answer = {
        "area_km2": round(km2, 3),
        "cameras": total,
        "imported": sum(row.cameras for row in counts if row.source == CameraSource.OSM),
        "reported": sum(row.cameras for row in counts if row.source == CameraSource.REPORT),
        "per_km2": round(total / km2, 6),
        "per_100_km2": round(100 * total / km2, 4),
        "vendors": vendor_breakdown(vendors, top),
        "operators": operator_breakdown(operators, top),
    }
    features = None
    if total <= Limits.POLYGON_MAX_FEATURES:
        features = citable_features_in_shape(shape, Limits.POLYGON_MAX_FEATURES)
        answer["features_omitted"] = False
    else:
        answer["features_omitted"] = True
        answer["features_note"] = _(
            "More than %(limit)d cameras: the list is left out (the counts are complete). Draw a smaller "
            "area, or download every camera from /api/v1/cameras.geojson.",
            limit=Limits.POLYGON_MAX_FEATURES,
        )
    return answer, features
