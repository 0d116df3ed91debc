"""The one bbox parser: `west,south,east,north` in degrees, from any query string that takes an area."""

import math
from dataclasses import dataclass

from flask_babel import gettext as _

from webapp.kernel.errors import InvalidInput


class BadBbox(InvalidInput):
    code = "bad_bbox"


@dataclass(frozen=True)
class BoundingBox:
    west: float
    south: float
    east: float
    north: float

    @property
    def square_degrees(self) -> float:
        return (self.east - self.west) * (self.north - self.south)

    def as_param(self) -> str:
        """The query-string value that parses back to this box."""
        return ",".join(repr(value) for value in (self.west, self.south, self.east, self.north))


def parse_bbox(raw: str | None) -> BoundingBox:
    """A box from `west,south,east,north`; BadBbox (400, code bad_bbox) saying how to fix anything else."""
    if not raw or not raw.strip():
        raise BadBbox(_("The bbox parameter is required: bbox=west,south,east,north in degrees."))
    parts = raw.split(",")
    if len(parts) != 4:
        raise BadBbox(_("bbox needs four numbers: west,south,east,north."))
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise BadBbox(_("bbox needs four numbers: west,south,east,north.")) from None
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        raise BadBbox(_("bbox needs four finite numbers."))
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise BadBbox(
            _("bbox must have -180 <= west < east <= 180 and -90 <= south < north <= 90 (degrees).")
        )
    return BoundingBox(west, south, east, north)
