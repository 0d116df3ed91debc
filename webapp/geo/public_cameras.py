"""The public cameras (status verified) by area: their public columns in a bounded box, all of them in a
stream for the exports, and how many stand in a map view.

Only public camera fields are read; nothing about sightings or submitters is ever selected.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.geo.bbox import BadBbox, BoundingBox
from webapp.kernel.extensions import db
from webapp.kernel.models.density import CELL_ZOOM_OFFSET, DENSITY_MAX_ZOOM
from webapp.kernel.vocabulary import CameraStatus, Limits

# The SQL condition of a public camera, shown on the map (for text() queries; ORM queries compare
# Camera.status), and of a citable one: public and not a demo camera. Exports and every figure count
# citable cameras only.
PUBLIC = f"status = '{CameraStatus.VERIFIED}'"
CITABLE = f"{PUBLIC} AND NOT demo"

# An area query answers at most this much; larger needs go to the full exports.
MAX_BBOX_SQUARE_DEGREES = 4.0
MAX_BBOX_FEATURES = 5000
EXPORT_BATCH_ROWS = 2000

PUBLIC_COLUMNS = """
    id, ST_Y(geom) AS lat, ST_X(geom) AS lon, vendor, operator, directions, mount,
    to_char(first_reported_month, 'YYYY-MM') AS first_reported,
    to_char(last_confirmed_month, 'YYYY-MM') AS last_confirmed,
    confirmations, source, osm_type, osm_id
"""
FIELDS = (
    "id",
    "lat",
    "lon",
    "vendor",
    "operator",
    "directions",
    "mount",
    "first_reported",
    "last_confirmed",
    "confirmations",
    "source",
    "osm_type",
    "osm_id",
)
IN_BOX = "geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326)"


def _box(bbox: BoundingBox) -> dict:
    return {"west": bbox.west, "south": bbox.south, "east": bbox.east, "north": bbox.north}


def cameras_in_bbox(bbox: BoundingBox) -> list[dict]:
    """The public columns of every public camera in the box, in id order; BadBbox when the box or its
    answer is larger than the API gives at once."""
    if bbox.square_degrees > MAX_BBOX_SQUARE_DEGREES:
        raise BadBbox(
            _(
                "The area is too large (%(area).1f square degrees; at most %(limit).0f). Narrow the bbox, "
                "or download everything from /api/v1/cameras.geojson.",
                area=bbox.square_degrees,
                limit=MAX_BBOX_SQUARE_DEGREES,
            )
        )
    rows = (
        db.session.execute(
            text(
                f"SELECT {PUBLIC_COLUMNS} FROM cameras WHERE {PUBLIC} AND {IN_BOX} ORDER BY id LIMIT :limit"
            ),
            {**_box(bbox), "limit": MAX_BBOX_FEATURES + 1},
        )
        .mappings()
        .all()
    )
    if len(rows) > MAX_BBOX_FEATURES:
        raise BadBbox(
            _(
                "More than %(limit)d cameras in this area. Narrow the bbox, "
                "or download everything from /api/v1/cameras.geojson.",
                limit=MAX_BBOX_FEATURES,
            )
        )
    return [dict(row) for row in rows]


def all_citable_cameras(county_geoid: str | None = None) -> Iterator[list[dict]]:
    """Every citable camera (public, not demo) in id order, in batches, through a server-side cursor: memory
    stays flat. With `county_geoid`, those of one county only (through the index on cameras.county_geoid)."""
    in_county = " AND county_geoid = :county" if county_geoid is not None else ""
    result = db.session.execute(
        text(f"SELECT {PUBLIC_COLUMNS} FROM cameras WHERE {CITABLE}{in_county} ORDER BY id"),
        {"county": county_geoid},
        execution_options={"stream_results": True},
    ).mappings()
    # The size must be given here: for a text() query the yield_per option alone leaves one partition of
    # every row (measured: the whole table in memory).
    for batch in result.partitions(EXPORT_BATCH_ROWS):
        yield [dict(row) for row in batch]


# Small areas are counted exactly through the spatial index; larger ones from per-area counts (figures) or
# the density pyramid (drawing costs), at a zoom where the view spans about this many cells across, so the
# answer costs a few hundred rows whatever the area.
EXACT_COUNT_MAX_DEGREES = 1.0
VIEW_CELLS_ACROSS = 128


@dataclass(frozen=True)
class ViewCount:
    cameras: int
    exact: bool


MERCATOR_MAX_LAT = 85.0511287798


def mercator_fraction_x(lon: float) -> float:
    """A longitude's place across the Web Mercator world, 0 (180° W) to 1 (180° E)."""
    return (lon + 180.0) / 360.0


def mercator_fraction_y(lat: float) -> float:
    """A latitude's place down the Web Mercator world, 0 (85.05° N) to 1 (85.05° S)."""
    lat = min(max(lat, -MERCATOR_MAX_LAT), MERCATOR_MAX_LAT)
    return (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0


def mercator_lon(fraction_x: float) -> float:
    """The longitude at a place across the Web Mercator world (the inverse of mercator_fraction_x)."""
    return fraction_x * 360.0 - 180.0


def mercator_lat(fraction_y: float) -> float:
    """The latitude at a place down the Web Mercator world (the inverse of mercator_fraction_y)."""
    fraction_y = min(max(fraction_y, 0.0), 1.0)
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * fraction_y))))


def mercator_x(lon: float, level: int) -> int:
    """The column of a longitude in the Web Mercator tile grid of `level`."""
    return int(min(max(mercator_fraction_x(lon) * 2**level, 0), 2**level - 1))


def mercator_y(lat: float, level: int) -> int:
    """The row of a latitude in the Web Mercator tile grid of `level`."""
    return int(min(max(mercator_fraction_y(lat) * 2**level, 0), 2**level - 1))


# The density cells of zoom :z in the columns x0..x1 and rows y0..y1 (_cell_range): a range of the key.
CELLS_IN_RANGE = "z = :z AND x BETWEEN :x0 AND :x1 AND y BETWEEN :y0 AND :y1"


def _cell_range(bbox: BoundingBox, level: int) -> dict:
    """The columns and rows of the grid of `level` that a box covers (x0..x1, y0..y1, ends included)."""
    return {
        "x0": mercator_x(bbox.west, level),
        "x1": mercator_x(bbox.east, level),
        "y0": mercator_y(bbox.north, level),
        "y1": mercator_y(bbox.south, level),
    }


def _exact_view(bbox: BoundingBox) -> bool:
    return (
        bbox.east - bbox.west <= EXACT_COUNT_MAX_DEGREES
        and bbox.north - bbox.south <= EXACT_COUNT_MAX_DEGREES
    )


# A view wider than EXACT_COUNT_MAX_DEGREES is summed from the per-area counts (citable cameras, kept by
# triggers) of the counties whose representative point (ST_PointOnSurface of the simplified boundary) lies
# in it: a national view costs a few thousand rows, not a million cameras.
COUNTIES_IN_VIEW = """
    FROM areas AS a
    JOIN area_camera_counts AS c ON c.geoid = a.geoid AND c.cameras <> 0
    WHERE a.kind = 'county' AND a.geom_simplified && ST_MakeEnvelope(:west, :south, :east, :north, 4326)
      AND ST_Intersects(ST_PointOnSurface(a.geom_simplified),
                        ST_MakeEnvelope(:west, :south, :east, :north, 4326))
"""


def citable_counts_in_view(bbox: BoundingBox) -> tuple[list, bool]:
    """(vendor, operator, agency_id, cameras) of the citable cameras in a map view, and whether that is exact:
    the rows behind every figure of a view (count_in_view, the coverage panel's vendors and operators). Beyond
    the exact size, an operator text's agency is its link in the county's state (operator_link_agency)."""
    if _exact_view(bbox):
        return citable_counts_in_bbox(bbox), True
    rows = db.session.execute(
        text(
            "SELECT c.vendor, c.operator, operator_link_agency(c.operator, left(c.geoid, 2)) AS agency_id, "
            f"sum(c.cameras) AS cameras {COUNTIES_IN_VIEW} GROUP BY 1, 2, 3"
        ),
        _box(bbox),
    ).all()
    return rows, False


def count_in_view(bbox: BoundingBox) -> ViewCount:
    """How many citable cameras (verified, never demo: the rule of every figure) stand in a map view: exact
    for a city through the spatial index, summed from the counties in view for larger views. The map's
    headline and its "in this view" panel both show this number."""
    if _exact_view(bbox):
        count = db.session.scalar(
            text(f"SELECT count(*) FROM cameras WHERE {CITABLE} AND {IN_BOX}"), _box(bbox)
        )
        return ViewCount(cameras=int(count), exact=True)
    count = db.session.scalar(text(f"SELECT coalesce(sum(c.cameras), 0) {COUNTIES_IN_VIEW}"), _box(bbox))
    return ViewCount(cameras=int(count), exact=False)


def drawn_count_in_view(bbox: BoundingBox) -> int:
    """About how many public cameras (demo ones included) the map draws in a view, from the density pyramid
    (exact to its cells' edges): what drawing the view costs, never a figure shown as a count."""
    if _exact_view(bbox):
        return int(
            db.session.scalar(text(f"SELECT count(*) FROM cameras WHERE {PUBLIC} AND {IN_BOX}"), _box(bbox))
        )
    span = max((bbox.east - bbox.west) / 360.0, 1e-9)
    level = int(math.floor(math.log2(VIEW_CELLS_ACROSS / span)))
    zoom = min(max(level - CELL_ZOOM_OFFSET, 0), DENSITY_MAX_ZOOM)
    level = zoom + CELL_ZOOM_OFFSET
    count = db.session.scalar(
        text(f"SELECT coalesce(sum(cameras), 0) FROM density_cells WHERE {CELLS_IN_RANGE}"),
        {"z": zoom, **_cell_range(bbox, level)},
    )
    return int(count)


def density_cells_in_view(bbox: BoundingBox, zoom: int) -> list[tuple[int, int, int]]:
    """(x, y, cameras) of the non-empty density cells of tile zoom `zoom` (0..DENSITY_MAX_ZOOM) that cover
    the box: the cells the map's density layer draws at that zoom, in the grid of level zoom +
    CELL_ZOOM_OFFSET. At most as many rows as the view has cells (the caller picks the zoom)."""
    level = zoom + CELL_ZOOM_OFFSET
    rows = db.session.execute(
        text(f"SELECT x, y, cameras FROM density_cells WHERE {CELLS_IN_RANGE} AND cameras > 0"),
        {"z": zoom, **_cell_range(bbox, level)},
    ).all()
    return [(int(x), int(y), int(cameras)) for x, y, cameras in rows]


# Drawn areas and routes (webapp.coverage): citable cameras inside a shape given as GeoJSON (SRID 4326).
# The shape is one constant of the query, so PostGIS prepares it once and every candidate the GiST index
# returns is tested against the prepared shape.
SHAPE = "ST_SetSRID(ST_GeomFromGeoJSON(:shape), 4326)"
SHAPE_COLUMNS = "id, ST_X(geom) AS lon, ST_Y(geom) AS lat, vendor, operator, directions, source"


def citable_counts_in_shape(shape_geojson: str) -> list:
    """(vendor, operator, agency_id, source, cameras) of the citable cameras inside a polygon."""
    return db.session.execute(
        text(
            f"SELECT vendor, operator, agency_id, source, count(*) AS cameras FROM cameras "
            f"WHERE {CITABLE} AND ST_Intersects(geom, {SHAPE}) GROUP BY 1, 2, 3, 4"
        ),
        {"shape": shape_geojson},
    ).all()


def citable_features_in_shape(shape_geojson: str, limit: int) -> str:
    """The citable cameras inside a polygon as the JSON text of a GeoJSON feature list, in id order, at most
    `limit`: id, the point to Limits.COORDINATE_DIGITS decimals, vendor, operator, directions, source (the
    features webapp.geo.geojson.camera_feature writes with SUMMARY_FIELDS; tests/test_camera_features.py holds
    them equal). Built by PostgreSQL: 5,000 features cost milliseconds."""
    return db.session.scalar(
        text(
            f"""
            SELECT coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'id', id, 'geometry', ST_AsGeoJSON(geom, :digits)::json,
                       'properties', json_build_object('vendor', vendor, 'operator', operator,
                                                       'directions', directions, 'source', source)
                   ) ORDER BY id), '[]')::text
            FROM (
                SELECT id, geom, vendor, operator, directions, source FROM cameras
                WHERE {CITABLE} AND ST_Intersects(geom, {SHAPE}) ORDER BY id LIMIT :limit
            ) AS inside
            """
        ),
        {"shape": shape_geojson, "limit": limit, "digits": Limits.COORDINATE_DIGITS},
    )


def citable_cameras_near_line(line_geojson: str, margin_degrees: float, limit: int) -> list[dict]:
    """Citable cameras within `margin_degrees` (planar, in degrees) of a line: a superset the caller narrows
    with real distances. At most `limit`, in id order."""
    rows = db.session.execute(
        text(
            f"""
            WITH zone AS (SELECT ST_Buffer({SHAPE}, :margin, 'quad_segs=4') AS area)
            SELECT {SHAPE_COLUMNS} FROM cameras, zone
            WHERE {CITABLE} AND ST_Intersects(geom, zone.area) ORDER BY id LIMIT :limit
            """
        ),
        {"shape": line_geojson, "margin": margin_degrees, "limit": limit},
    ).mappings()
    return [dict(row) for row in rows]


def citable_counts_in_bbox(bbox: BoundingBox) -> list:
    """(vendor, operator, agency_id, cameras) of the citable cameras in a box (callers bound the box)."""
    return db.session.execute(
        text(
            f"SELECT vendor, operator, agency_id, count(*) AS cameras FROM cameras "
            f"WHERE {CITABLE} AND {IN_BOX} GROUP BY 1, 2, 3"
        ),
        _box(bbox),
    ).all()


# Cameras taken down from the street, as a moderator confirmed with the month (a camera "never there" has
# no month and stays out: it may have been a poisoned report, a "camera" at someone's home).
REMOVED_CITABLE = f"status = '{CameraStatus.REMOVED}' AND removed_month IS NOT NULL AND NOT demo"


def all_removed_cameras() -> Iterator[list[dict]]:
    """Every camera confirmed taken down (not demo), with its removal month, in id order, in batches."""
    result = db.session.execute(
        text(
            f"SELECT {PUBLIC_COLUMNS}, to_char(removed_month, 'YYYY-MM') AS removed "
            f"FROM cameras WHERE {REMOVED_CITABLE} ORDER BY id"
        ),
        execution_options={"stream_results": True},
    ).mappings()
    for batch in result.partitions(EXPORT_BATCH_ROWS):
        yield [dict(row) for row in batch]
