"""A view of the map named in a query string, as /embed and /map.png take it: `bbox=west,south,east,north`
(the one bbox parser), or `z`, `lat` and `lon`, and a layer. It also gives the main map's address of the
view (`/#zoom/lat/lon/layer`) and the zoom at which a box fills an image of a given size.
"""

import math
from dataclasses import dataclass

from flask_babel import gettext as _

from webapp.geo.bbox import BoundingBox, parse_bbox
from webapp.geo.public_cameras import (
    MERCATOR_MAX_LAT,
    mercator_fraction_x,
    mercator_fraction_y,
    mercator_lat,
    mercator_lon,
)
from webapp.kernel.errors import InvalidField

MAP_LAYERS = ("density", "states", "counties")
IMAGE_LAYERS = ("density", "cameras", "states", "counties")
# The map's own zoom range (density_map: min_zoom 3; the basemap stops at 19).
MIN_ZOOM = 3
MAX_ZOOM = 19
TILE_PIXELS = 256
# The contiguous United States, for a view that names none.
DEFAULT_BBOX = BoundingBox(-125.0, 24.0, -66.5, 49.5)


@dataclass(frozen=True)
class CitedView:
    """Either a box or a centre and zoom (the other fields None), and a layer."""

    layer: str
    bbox: BoundingBox | None = None
    zoom: int | None = None
    lat: float | None = None
    lon: float | None = None

    def box_for(self, width: int, height: int) -> BoundingBox:
        """The box an image of width x height pixels shows: the given box, or the one around the centre."""
        if self.bbox is not None:
            return self.bbox
        if self.zoom is None:
            return DEFAULT_BBOX
        world = TILE_PIXELS * 2**self.zoom
        x = mercator_fraction_x(self.lon) * world
        y = mercator_fraction_y(self.lat) * world
        west, east = (
            max(-180.0, min(180.0, mercator_lon((x + dx) / world))) for dx in (-width / 2, width / 2)
        )
        north, south = (mercator_lat((y + dy) / world) for dy in (-height / 2, height / 2))
        return BoundingBox(west, south, east, north)

    def centre_and_zoom(self, width: int, height: int) -> tuple[float, float, int]:
        """(lat, lon, zoom) of the view on a map of width x height pixels."""
        if self.zoom is not None:
            return self.lat, self.lon, self.zoom
        box = self.box_for(width, height)
        lat = mercator_lat((mercator_fraction_y(box.north) + mercator_fraction_y(box.south)) / 2)
        return lat, (box.west + box.east) / 2, max(MIN_ZOOM, fitting_zoom(box, width, height))

    def map_fragment(self, width: int = 1024, height: int = 640) -> str:
        """The main map's address fragment of this view: #zoom/lat/lon/layer (a density view for an image's
        cameras layer, which the map shows from close up by itself)."""
        lat, lon, zoom = self.centre_and_zoom(width, height)
        layer = self.layer if self.layer in MAP_LAYERS else "density"
        return f"#{zoom}/{lat:.5f}/{lon:.5f}/{layer}"


def fitting_zoom(box: BoundingBox, width: int, height: int) -> int:
    """The largest whole zoom (0..MAX_ZOOM) at which the box fits in width x height pixels."""
    span_x = max(mercator_fraction_x(box.east) - mercator_fraction_x(box.west), 1e-12)
    span_y = max(mercator_fraction_y(box.south) - mercator_fraction_y(box.north), 1e-12)
    zoom = math.floor(
        min(math.log2(width / (TILE_PIXELS * span_x)), math.log2(height / (TILE_PIXELS * span_y)))
    )
    return int(min(max(zoom, 0), MAX_ZOOM))


def _number(args, name: str, low: float, high: float, whole: bool = False) -> float:
    raw = (args.get(name) or "").strip()
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or not low <= value <= high:
        bounds = {"name": name, "low": f"{low:g}", "high": f"{high:g}"}
        if whole:
            message = _("%(name)s must be a whole number from %(low)s to %(high)s.", **bounds)
        else:
            message = _("%(name)s must be a number from %(low)s to %(high)s.", **bounds)
        raise InvalidField(name, message)
    return value


def parse_view(args, layers: tuple[str, ...] = MAP_LAYERS) -> CitedView:
    """The view a query string names; InvalidField (400) saying how to fix a wrong one. Neither a bbox nor
    a centre: the default view (the United States)."""
    layer = (args.get("layer") or layers[0]).strip()
    if layer not in layers:
        raise InvalidField("layer", _("layer must be one of: %(layers)s.", layers=", ".join(layers)))
    if args.get("bbox") is not None:
        return CitedView(layer=layer, bbox=parse_bbox(args.get("bbox")))
    if any(args.get(name) is not None for name in ("z", "lat", "lon")):
        return CitedView(
            layer=layer,
            zoom=int(_number(args, "z", MIN_ZOOM, MAX_ZOOM, whole=True)),
            lat=_number(args, "lat", -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT),
            lon=_number(args, "lon", -180, 180),
        )
    return CitedView(layer=layer)
