"""Reading verified cameras for the open-data API: by area (bounded), or all of them in a stream.

Only public camera fields are read; nothing about sightings or submitters is ever selected.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.extensions import db

# An area query answers at most this much; larger needs go to the full exports.
MAX_BBOX_SQUARE_DEGREES = 4.0
MAX_BBOX_FEATURES = 5000
EXPORT_BATCH_ROWS = 2000

PUBLIC_COLUMNS = """
    id, ST_Y(geom) AS lat, ST_X(geom) AS lon, vendor, operator, directions, mount,
    to_char(first_seen_month, 'YYYY-MM') AS first_reported,
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


class AreaError(ValueError):
    """A bbox the API will not answer; the message says how to fix it."""


@dataclass(frozen=True)
class BoundingBox:
    west: float
    south: float
    east: float
    north: float

    @property
    def square_degrees(self) -> float:
        return (self.east - self.west) * (self.north - self.south)


def parse_bbox(raw: str | None) -> BoundingBox:
    if not raw:
        raise AreaError(_("The bbox parameter is required: bbox=west,south,east,north in degrees."))
    parts = raw.split(",")
    if len(parts) != 4:
        raise AreaError(_("bbox needs four numbers: west,south,east,north."))
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise AreaError(_("bbox needs four numbers: west,south,east,north.")) from None
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        raise AreaError(_("bbox needs four finite numbers."))
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise AreaError(
            _("bbox must have -180 <= west < east <= 180 and -90 <= south < north <= 90 (degrees).")
        )
    return BoundingBox(west, south, east, north)


def cameras_in_bbox(bbox: BoundingBox) -> list[dict]:
    if bbox.square_degrees > MAX_BBOX_SQUARE_DEGREES:
        raise AreaError(
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
                f"SELECT {PUBLIC_COLUMNS} FROM cameras WHERE status = 'verified' "
                "AND geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326) ORDER BY id LIMIT :limit"
            ),
            {
                "west": bbox.west,
                "south": bbox.south,
                "east": bbox.east,
                "north": bbox.north,
                "limit": MAX_BBOX_FEATURES + 1,
            },
        )
        .mappings()
        .all()
    )
    if len(rows) > MAX_BBOX_FEATURES:
        raise AreaError(
            _(
                "More than %(limit)d cameras in this area. Narrow the bbox, "
                "or download everything from /api/v1/cameras.geojson.",
                limit=MAX_BBOX_FEATURES,
            )
        )
    return [dict(row) for row in rows]


def all_verified_cameras() -> Iterator[list[dict]]:
    """Every verified camera in id order, in batches, through a server-side cursor: memory stays flat."""
    result = db.session.execute(
        text(f"SELECT {PUBLIC_COLUMNS} FROM cameras WHERE status = 'verified' ORDER BY id"),
        execution_options={"stream_results": True},
    ).mappings()
    # The size must be given here: for a text() query the yield_per option alone leaves one partition of
    # every row (measured: the whole table in memory).
    for batch in result.partitions(EXPORT_BATCH_ROWS):
        yield [dict(row) for row in batch]
