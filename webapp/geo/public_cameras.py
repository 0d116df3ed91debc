"""The public cameras (status verified) by area: their public columns in a bounded box, all of them in a
stream for the exports, and how many stand in a map view.

Only public camera fields are read; nothing about sightings or submitters is ever selected.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Boolean, ColumnElement, and_, func, literal_column, not_, select, text

from webapp.geo.bbox import BadBbox, BoundingBox
from webapp.kernel.data.models.area import Area, AreaCameraCount
from webapp.kernel.data.models.camera import Camera
from webapp.kernel.data.models.density import CELL_ZOOM_OFFSET, DENSITY_MAX_ZOOM, DensityCell
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraStatus, Limits

cameras = Camera.__table__
areas = Area.__table__
area_counts = AreaCameraCount.__table__
density_cells = DensityCell.__table__


def citable(columns=cameras.c) -> ColumnElement[bool]:
    """A citable camera: public and not a demo camera (exports, feeds, releases and every figure count only
    these). The rule itself is the SQL function camera_citable (migrations/sql/camera_rules), which
    PostgreSQL inlines: a query calling it is planned as the condition written out. `columns`: the
    cameras' columns of an alias or a subquery."""
    return func.camera_citable(columns.status, columns.demo, type_=Boolean)


# A public camera, shown on the map (demo cameras too).
PUBLIC = cameras.c.status == CameraStatus.VERIFIED

# An area query answers at most this much; larger needs go to the full exports.
MAX_BBOX_SQUARE_DEGREES = 4.0
MAX_BBOX_FEATURES = 5000
EXPORT_BATCH_ROWS = 2000


def _month(column) -> ColumnElement[str]:
    return func.to_char(column, literal_column("'YYYY-MM'"))


LAT, LON = func.ST_Y(cameras.c.geom).label("lat"), func.ST_X(cameras.c.geom).label("lon")
PUBLIC_COLUMNS = (
    cameras.c.id,
    LAT,
    LON,
    cameras.c.vendor,
    cameras.c.operator,
    cameras.c.directions,
    cameras.c.mount,
    _month(cameras.c.first_reported_month).label("first_reported"),
    _month(cameras.c.last_confirmed_month).label("last_confirmed"),
    cameras.c.confirmations,
    cameras.c.source,
    cameras.c.osm_type,
    cameras.c.osm_id,
)
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


def envelope(bbox: BoundingBox) -> ColumnElement:
    return func.ST_MakeEnvelope(bbox.west, bbox.south, bbox.east, bbox.north, 4326)


def in_box(bbox: BoundingBox, geom=cameras.c.geom) -> ColumnElement[bool]:
    """The points of `geom` in the box, through its spatial index."""
    return geom.op("&&")(envelope(bbox))


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
            select(*PUBLIC_COLUMNS)
            .where(PUBLIC, in_box(bbox))
            .order_by(cameras.c.id)
            .limit(MAX_BBOX_FEATURES + 1)
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
    query = select(*PUBLIC_COLUMNS).where(citable()).order_by(cameras.c.id)
    if county_geoid is not None:
        query = query.where(cameras.c.county_geoid == county_geoid)
    result = db.session.execute(query, execution_options={"stream_results": True}).mappings()
    # The size must be given here: the yield_per option alone leaves one partition of every row (measured
    # with a text() query: the whole table in memory).
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


def _cells_in_range(bbox: BoundingBox, zoom: int) -> tuple[ColumnElement[bool], ...]:
    """The density cells of tile zoom `zoom` in the columns and rows of the grid of level zoom +
    CELL_ZOOM_OFFSET that a box covers (ends included): a range of the key."""
    level = zoom + CELL_ZOOM_OFFSET
    return (
        density_cells.c.z == zoom,
        density_cells.c.x.between(mercator_x(bbox.west, level), mercator_x(bbox.east, level)),
        density_cells.c.y.between(mercator_y(bbox.north, level), mercator_y(bbox.south, level)),
    )


def _exact_view(bbox: BoundingBox) -> bool:
    return (
        bbox.east - bbox.west <= EXACT_COUNT_MAX_DEGREES
        and bbox.north - bbox.south <= EXACT_COUNT_MAX_DEGREES
    )


def _counties_in_view(query, bbox: BoundingBox):
    """A view wider than EXACT_COUNT_MAX_DEGREES is summed from the per-area counts (citable cameras, kept by
    triggers) of the counties whose representative point (ST_PointOnSurface of the simplified boundary) lies
    in it: a national view costs a few thousand rows, not a million cameras."""
    return query.select_from(
        areas.join(area_counts, and_(area_counts.c.geoid == areas.c.geoid, area_counts.c.cameras != 0))
    ).where(
        areas.c.kind == "county",
        in_box(bbox, areas.c.geom_simplified),
        func.ST_Intersects(func.ST_PointOnSurface(areas.c.geom_simplified), envelope(bbox)),
    )


def citable_counts_in_view(bbox: BoundingBox) -> tuple[list, bool]:
    """(vendor, operator, agency_id, cameras) of the citable cameras in a map view, and whether that is exact:
    the rows behind every figure of a view (count_in_view, the coverage panel's vendors and operators). Beyond
    the exact size, an operator text's agency is its link in the county's state (operator_link_agency)."""
    if _exact_view(bbox):
        return citable_counts_in_bbox(bbox), True
    agency = func.operator_link_agency(area_counts.c.operator, func.left(area_counts.c.geoid, 2))
    query = select(
        area_counts.c.vendor,
        area_counts.c.operator,
        agency.label("agency_id"),
        func.sum(area_counts.c.cameras).label("cameras"),
    ).group_by(area_counts.c.vendor, area_counts.c.operator, agency)
    return db.session.execute(_counties_in_view(query, bbox)).all(), False


def count_in_view(bbox: BoundingBox) -> ViewCount:
    """How many citable cameras (verified, never demo: the rule of every figure) stand in a map view: exact
    for a city through the spatial index, summed from the counties in view for larger views. The map's
    headline and its "in this view" panel both show this number."""
    if _exact_view(bbox):
        count = db.session.scalar(select(func.count()).select_from(cameras).where(citable(), in_box(bbox)))
        return ViewCount(cameras=int(count), exact=True)
    query = select(func.coalesce(func.sum(area_counts.c.cameras), 0))
    return ViewCount(cameras=int(db.session.scalar(_counties_in_view(query, bbox))), exact=False)


def drawn_count_in_view(bbox: BoundingBox) -> int:
    """About how many public cameras (demo ones included) the map draws in a view, from the density pyramid
    (exact to its cells' edges): what drawing the view costs, never a figure shown as a count."""
    if _exact_view(bbox):
        return int(db.session.scalar(select(func.count()).select_from(cameras).where(PUBLIC, in_box(bbox))))
    span = max((bbox.east - bbox.west) / 360.0, 1e-9)
    level = int(math.floor(math.log2(VIEW_CELLS_ACROSS / span)))
    zoom = min(max(level - CELL_ZOOM_OFFSET, 0), DENSITY_MAX_ZOOM)
    query = select(func.coalesce(func.sum(density_cells.c.cameras), 0))
    return int(db.session.scalar(query.where(*_cells_in_range(bbox, zoom))))


def density_cells_in_view(bbox: BoundingBox, zoom: int) -> list[tuple[int, int, int]]:
    """(x, y, cameras) of the non-empty density cells of tile zoom `zoom` (0..DENSITY_MAX_ZOOM) that cover
    the box: the cells the map's density layer draws at that zoom, in the grid of level zoom +
    CELL_ZOOM_OFFSET. At most as many rows as the view has cells (the caller picks the zoom)."""
    query = select(density_cells.c.x, density_cells.c.y, density_cells.c.cameras)
    rows = db.session.execute(query.where(*_cells_in_range(bbox, zoom), density_cells.c.cameras > 0)).all()
    return [(int(x), int(y), int(cameras)) for x, y, cameras in rows]


# Drawn areas and routes (webapp.coverage): citable cameras inside a shape given as GeoJSON (SRID 4326).
# The shape is one constant of the query, so PostGIS prepares it once and every candidate the GiST index
# returns is tested against the prepared shape.
def _shape(shape_geojson: str) -> ColumnElement:
    return func.ST_SetSRID(func.ST_GeomFromGeoJSON(shape_geojson), 4326)


SHAPE_COLUMNS = (
    cameras.c.id,
    LON,
    LAT,
    cameras.c.vendor,
    cameras.c.operator,
    cameras.c.directions,
    cameras.c.source,
)
COUNTED_COLUMNS = (cameras.c.vendor, cameras.c.operator, cameras.c.agency_id)


def citable_counts_in_shape(shape_geojson: str) -> list:
    """(vendor, operator, agency_id, source, cameras) of the citable cameras inside a polygon."""
    columns = (*COUNTED_COLUMNS, cameras.c.source)
    return db.session.execute(
        select(*columns, func.count().label("cameras"))
        .where(citable(), func.ST_Intersects(cameras.c.geom, _shape(shape_geojson)))
        .group_by(*columns)
    ).all()


def citable_features_in_shape(shape_geojson: str, limit: int) -> str:
    """The citable cameras inside a polygon as the JSON text of a GeoJSON feature list, in id order, at most
    `limit`: id, the point to Limits.COORDINATE_DIGITS decimals, vendor, operator, directions, source (the
    features webapp.geo.geojson.camera_feature writes with SUMMARY_FIELDS; tests/geo/test_camera_features.py
    holds them equal). Built by PostgreSQL: 5,000 features cost milliseconds."""
    return db.session.scalar(
        text(
            """
            SELECT coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'id', id, 'geometry', ST_AsGeoJSON(geom, :digits)::json,
                       'properties', json_build_object('vendor', vendor, 'operator', operator,
                                                       'directions', directions, 'source', source)
                   ) ORDER BY id), '[]')::text
            FROM (
                SELECT id, geom, vendor, operator, directions, source FROM cameras
                WHERE camera_citable(status, demo)
                  AND ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON(:shape), 4326))
                ORDER BY id LIMIT :limit
            ) AS inside
            """
        ),
        {"shape": shape_geojson, "limit": limit, "digits": Limits.COORDINATE_DIGITS},
    )


def citable_cameras_near_line(line_geojson: str, margin_degrees: float, limit: int) -> list[dict]:
    """Citable cameras within `margin_degrees` (planar, in degrees) of a line: a superset the caller narrows
    with real distances. At most `limit`, in id order."""
    # The buffer is computed once (a one-row CTE), never per camera.
    zone = select(
        func.ST_Buffer(_shape(line_geojson), margin_degrees, literal_column("'quad_segs=4'")).label("area")
    ).cte("zone")
    rows = db.session.execute(
        select(*SHAPE_COLUMNS)
        .select_from(cameras.join(zone, func.ST_Intersects(cameras.c.geom, zone.c.area)))
        .where(citable())
        .order_by(cameras.c.id)
        .limit(limit)
    ).mappings()
    return [dict(row) for row in rows]


def citable_counts_in_bbox(bbox: BoundingBox) -> list:
    """(vendor, operator, agency_id, cameras) of the citable cameras in a box (callers bound the box)."""
    return db.session.execute(
        select(*COUNTED_COLUMNS, func.count().label("cameras"))
        .where(citable(), in_box(bbox))
        .group_by(*COUNTED_COLUMNS)
    ).all()


# Cameras taken down from the street, as a moderator confirmed with the month (a camera "never there" has
# no month and stays out: it may have been a poisoned report, a "camera" at someone's home).
REMOVED_CITABLE = and_(
    cameras.c.status == CameraStatus.REMOVED, cameras.c.removed_month.is_not(None), not_(cameras.c.demo)
)


def all_removed_cameras() -> Iterator[list[dict]]:
    """Every camera confirmed taken down (not demo), with its removal month, in id order, in batches."""
    query = (
        select(*PUBLIC_COLUMNS, _month(cameras.c.removed_month).label("removed"))
        .where(REMOVED_CITABLE)
        .order_by(cameras.c.id)
    )
    result = db.session.execute(query, execution_options={"stream_results": True}).mappings()
    for batch in result.partitions(EXPORT_BATCH_ROWS):
        yield [dict(row) for row in batch]
