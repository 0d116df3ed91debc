"""The SQL behind GET /tiles/{z}/{x}/{y}.pbf: one Mapbox Vector Tile per request, built by PostGIS.

Zooms 0..DENSITY_MAX_ZOOM read the precomputed density cells (layer `density`, one point per non-empty cell
with its `count`); higher zooms read the verified cameras themselves (layer `cameras`: id, vendor,
directions as "90,270"; layer `directions`: one wedge polygon per direction, with id and
vendor). Nothing else about a camera, and nothing about sightings, is ever in a tile.
"""

from dataclasses import dataclass

from sqlalchemy import text

from webapp.kernel.data.models.density import CELL_ZOOM_OFFSET, DENSITY_MAX_ZOOM
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraStatus

MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 20
EXTENT = 4096
# Cameras a little outside the tile are included too, so a direction cone that crosses the tile edge is
# drawn whole on both sides of it.
CAMERA_MARGIN = 1 / 16
MARGIN_UNITS = int(EXTENT * CAMERA_MARGIN)
# A direction cone: this long in tile units (16 units are one pixel of a 256-pixel tile), this wide each side.
CONE_LENGTH = 450
CONE_HALF_ANGLE = 25

CELLS_PER_SIDE = 2**CELL_ZOOM_OFFSET
CELL_SIZE = EXTENT // CELLS_PER_SIDE

# The cells' positions inside the tile follow from their keys: no geometry, no ST_AsMVTGeom needed.
DENSITY_TILE = text(
    """
    SELECT ST_AsMVT(cell, 'density', :extent, 'geom') FROM (
        SELECT cameras AS count,
               ST_MakePoint((x - :x0) * :cell_size + :cell_middle,
                            (y - :y0) * :cell_size + :cell_middle) AS geom
        FROM density_cells
        WHERE z = :z AND x >= :x0 AND x < :x0 + :cells_per_side
          AND y >= :y0 AND y < :y0 + :cells_per_side AND cameras > 0
    ) AS cell
    """
).bindparams(extent=EXTENT, cell_size=CELL_SIZE, cell_middle=CELL_SIZE // 2, cells_per_side=CELLS_PER_SIDE)

# The filter runs on the 4326 spatial index (a Mercator rectangle is a lon/lat rectangle too). Each direction
# becomes a wedge drawn in tile units around the camera, so it keeps its size on screen at every zoom.
CAMERA_TILE = text(
    """
    WITH bounds AS (
        SELECT envelope,
               ST_Transform(
                   ST_Expand(envelope, (ST_XMax(envelope) - ST_XMin(envelope)) * :margin), 4326
               ) AS search_area
        FROM ST_TileEnvelope(:z, :x, :y) AS envelope
    ), placed AS (
        SELECT c.id, c.vendor, c.directions,
               -- SRID 0: the cones below are built from plain points in tile units.
               ST_SetSRID(
                   ST_AsMVTGeom(ST_Transform(c.geom, 3857), bounds.envelope, :extent, :margin_units), 0
               ) AS geom
        FROM cameras AS c, bounds
        WHERE c.status = :public AND c.geom && bounds.search_area
    ), cones AS (
        SELECT placed.id, placed.vendor,
               ST_MakePolygon(ST_MakeLine(ARRAY[placed.geom] || ARRAY(
                   SELECT ST_MakePoint(ST_X(placed.geom) + :cone_length * sin(radians(direction + spread)),
                                       ST_Y(placed.geom) - :cone_length * cos(radians(direction + spread)))
                   FROM unnest(ARRAY[-:half_angle, -:half_angle / 2.0, 0,
                                     :half_angle / 2.0, :half_angle]) AS spread
               ) || ARRAY[placed.geom])) AS geom
        FROM placed CROSS JOIN LATERAL unnest(placed.directions) AS direction
        WHERE placed.geom IS NOT NULL
    )
    SELECT coalesce((SELECT ST_AsMVT(cones, 'directions', :extent, 'geom') FROM cones), '')
        || coalesce((
            SELECT ST_AsMVT(camera, 'cameras', :extent, 'geom') FROM (
                SELECT id, vendor, array_to_string(directions, ',') AS directions, geom
                FROM placed WHERE geom IS NOT NULL
            ) AS camera
        ), '')
    """
).bindparams(
    extent=EXTENT,
    margin=CAMERA_MARGIN,
    margin_units=MARGIN_UNITS,
    cone_length=CONE_LENGTH,
    half_angle=CONE_HALF_ANGLE,
    public=CameraStatus.VERIFIED.value,
)


class TileOutOfRange(ValueError):
    pass


@dataclass(frozen=True)
class TileAddress:
    z: int
    x: int
    y: int

    @classmethod
    def parse(cls, z: str, x: str, y: str) -> "TileAddress":
        """Digits only (no sign, no spaces), z in 0..MAX_ZOOM, x and y inside that zoom's grid."""
        if not all(part.isascii() and part.isdigit() and len(part) <= 8 for part in (z, x, y)):
            raise TileOutOfRange("z, x and y must be non-negative integers")
        address = cls(int(z), int(x), int(y))
        if address.z > MAX_ZOOM:
            raise TileOutOfRange(f"z must be between 0 and {MAX_ZOOM}")
        if address.x >= 2**address.z or address.y >= 2**address.z:
            raise TileOutOfRange(f"x and y must be between 0 and {2**address.z - 1} at zoom {address.z}")
        return address


def tile_for(address: TileAddress) -> bytes:
    """The MVT bytes of one tile (empty bytes when nothing is in it)."""
    if address.z <= DENSITY_MAX_ZOOM:
        x0, y0 = address.x * CELLS_PER_SIDE, address.y * CELLS_PER_SIDE
        data = db.session.scalar(DENSITY_TILE, {"z": address.z, "x0": x0, "y0": y0})
    else:
        data = db.session.scalar(CAMERA_TILE, {"z": address.z, "x": address.x, "y": address.y})
    return bytes(data or b"")
