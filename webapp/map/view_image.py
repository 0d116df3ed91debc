"""A static PNG of a map view (GET /map.png), for print and newsletters: the density cells, the cameras
coloured (and shaped) by vendor, or the states or counties coloured by cameras per 10,000 residents (the
choropleth's classes); the outlines of the states (and counties, close up), place names from the map's
gazetteer, a title, a legend, the attribution and the data date. No basemap.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, no global figure state). Its
cost is bounded: the size is capped (Limits.MAP_IMAGE_*), the density layer reads the pyramid's cells at the
zoom that fills the image (about one cell per 8 to 16 pixels, as on the map), and the cameras layer draws at
most Limits.MAP_IMAGE_MAX_CAMERAS cameras (refused beyond, with the density layer as the way out). Images
are kept per view for TILE_MAX_AGE seconds, as long as a browser keeps a tile.
"""

import io
import json
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from sqlalchemy import text

from webapp.cameras.import_runs import osm_data_as_of
from webapp.coverage.choropleth import legend_of
from webapp.frontend.camera_style import DENSITY_SCALE, vendor_styles
from webapp.geo.bbox import BoundingBox
from webapp.geo.public_cameras import (
    cameras_in_bbox,
    density_cells_in_view,
    drawn_count_in_view,
    mercator_fraction_x,
    mercator_fraction_y,
    mercator_lat,
    mercator_lon,
)
from webapp.kernel.data.models.density import CELL_ZOOM_OFFSET, DENSITY_MAX_ZOOM
from webapp.kernel.errors import InvalidInput
from webapp.kernel.extensions import db
from webapp.kernel.http.query_args import whole_number
from webapp.kernel.vocabulary import AreaKind, CameraSource, Limits
from webapp.map.cited_view import CitedView, fitting_zoom
from webapp.map.gazetteer import gazetteer_json

DPI = 100
# The map's marker shapes (frontend.camera_style) as matplotlib draws them: colour is never the only thing
# that tells vendors apart, and a vendor has the same shape in the image as on the map. A ring is unfilled.
MARKERS = {"circle": "o", "square": "s", "triangle": "^", "diamond": "D", "star": "*", "ring": "o"}
CACHE_ENTRIES = 32
# Agg's text rendering shares font caches between threads: one image at a time per process (which also
# bounds what the route can take of a worker).
_render_lock = threading.Lock()
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class ImageRequest:
    view: CitedView
    width: int
    height: int


def image_size(args) -> tuple[int, int]:
    """width and height from the query string, each Limits.MAP_IMAGE_MIN_PIXELS..MAX_PIXELS; InvalidField."""
    sizes = []
    for name, default in (
        ("width", Limits.MAP_IMAGE_DEFAULT_WIDTH),
        ("height", Limits.MAP_IMAGE_DEFAULT_HEIGHT),
    ):
        low, high = Limits.MAP_IMAGE_MIN_PIXELS, Limits.MAP_IMAGE_MAX_PIXELS
        message = _(
            "%(name)s must be a whole number of pixels from %(low)d to %(high)d.",
            name=name,
            low=low,
            high=high,
        )
        value = whole_number((args.get(name) or "").strip(), name, default, low, high, message)
        sizes.append(value)
    return sizes[0], sizes[1]


def view_png(request: ImageRequest) -> bytes:
    """The PNG of a view, from the cache while it is fresh."""
    key = (request, str(get_locale()))
    max_age = current_app.config["TILE_MAX_AGE"]
    now = time.monotonic()
    with _cache_lock:
        found = _cache.get(key)
        if found and now - found[0] < max_age:
            _cache.move_to_end(key)
            return found[1]
    data = _render(request)
    with _cache_lock:
        _cache[key] = (now, data)
        _cache.move_to_end(key)
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)
    return data


def _shown_box(box: BoundingBox, width: int, height: int) -> tuple[float, float, float, float]:
    """The box widened (in Web Mercator) to the image's proportions: (left, top, right, bottom) as
    fractions of the Mercator world, which is what the image shows."""
    left, right = mercator_fraction_x(box.west), mercator_fraction_x(box.east)
    top, bottom = mercator_fraction_y(box.north), mercator_fraction_y(box.south)
    span_x, span_y = max(right - left, 1e-12), max(bottom - top, 1e-12)
    if span_x / span_y < width / height:
        span_x = span_y * width / height
    else:
        span_y = span_x * height / width
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
    return centre_x - span_x / 2, centre_y - span_y / 2, centre_x + span_x / 2, centre_y + span_y / 2


def _box_of(shown: tuple[float, float, float, float]) -> BoundingBox:
    left, top, right, bottom = shown
    west, east = max(-180.0, mercator_lon(left)), min(180.0, mercator_lon(right))
    return BoundingBox(west, mercator_lat(bottom), east, mercator_lat(top))


def _colour_of(count: int) -> str:
    """The density scale's colour of a cell (the same steps as the map's legend)."""
    colour = DENSITY_SCALE[0][1]
    for low, step_colour in DENSITY_SCALE:
        if count >= low:
            colour = step_colour
    return colour


def _draw_density(axes, box: BoundingBox, width: int, height: int) -> list:
    zoom = min(fitting_zoom(box, width, height), DENSITY_MAX_ZOOM)
    cells = 2 ** (zoom + CELL_ZOOM_OFFSET)
    found = density_cells_in_view(box, zoom)
    # One square per non-empty cell; a thin outline keeps the palest apart from the white page in print and
    # in greyscale.
    axes.add_collection(
        PolyCollection(
            [
                [
                    (x / cells, y / cells),
                    ((x + 1) / cells, y / cells),
                    ((x + 1) / cells, (y + 1) / cells),
                    (x / cells, (y + 1) / cells),
                ]
                for x, y, _count in found
            ],
            facecolors=[_colour_of(count) for _x, _y, count in found],
            edgecolors="#6b7580",
            linewidths=0.3,
        )
    )
    handles = []
    for index, (low, colour) in enumerate(DENSITY_SCALE):
        following = DENSITY_SCALE[index + 1][0] if index + 1 < len(DENSITY_SCALE) else None
        label = f"{low}–{following - 1}" if following else f"{low}+"
        handles.append(Patch(facecolor=colour, edgecolor="#555555", linewidth=0.5, label=label))
    return handles


def _draw_cameras(axes, box: BoundingBox) -> tuple[list, bool]:
    """The cameras by vendor (colour and shape) and the legend's handles; whether any came from OSM."""
    if drawn_count_in_view(box) > Limits.MAP_IMAGE_MAX_CAMERAS:
        raise InvalidInput(
            _(
                "More than %(limit)d cameras in this view: draw it with layer=density, or a smaller view.",
                limit=Limits.MAP_IMAGE_MAX_CAMERAS,
            ),
            code="too_many_cameras",
        )
    cameras = cameras_in_bbox(box)
    legend = vendor_styles()
    known = {vendor["slug"] for vendor in legend}
    counts = Counter(camera["vendor"] if camera["vendor"] in known else "unknown" for camera in cameras)
    handles = []
    for vendor in legend:
        if not counts[vendor["slug"]]:
            continue
        shown = [c for c in cameras if (c["vendor"] if c["vendor"] in known else "unknown") == vendor["slug"]]
        marker = MARKERS[vendor["shape"]]
        ring = vendor["shape"] == "ring"
        face, edge = ("none", vendor["colour"]) if ring else (vendor["colour"], "#ffffff")
        axes.scatter(
            [mercator_fraction_x(c["lon"]) for c in shown],
            [mercator_fraction_y(c["lat"]) for c in shown],
            s=36,
            marker=marker,
            facecolors=face,
            edgecolors=edge,
            linewidths=1.4 if ring else 0.6,
            zorder=3,
        )
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker=marker,
                markersize=9,
                markerfacecolor=face,
                markeredgecolor=edge,
                label=f"{vendor['name']} ({counts[vendor['slug']]:,})",
            )
        )
    return handles, any(camera["source"] == CameraSource.OSM for camera in cameras)


# The choropleth's five classes and its colour for an area with no figure (static/js/choropleth.js).
CHOROPLETH_COLOURS = ("#fff5eb", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603")
NO_FIGURE = "#d9d9d9"
# Counties are outlined (and drawn as a layer) only in views that hold at most this many of them.
MAX_COUNTIES_DRAWN = 400
MAX_PLACE_NAMES = 12

AREAS_IN_VIEW = text(
    """
    SELECT a.geoid, a.name, a.population,
           (SELECT coalesce(sum(c.cameras), 0) FROM area_camera_counts AS c WHERE c.geoid = a.geoid)
               AS cameras,
           ST_AsGeoJSON(ST_ClipByBox2D(a.geom_simplified, envelope), 5) AS shape
    FROM areas AS a, ST_MakeEnvelope(:west, :south, :east, :north, 4326) AS envelope
    WHERE a.kind = :kind AND a.geom_simplified && envelope
    ORDER BY a.geoid
    LIMIT :limit
    """
)


def _areas_in_view(box: BoundingBox, kind: AreaKind, limit: int) -> list:
    """The areas of a kind in the view, their outlines clipped to it (at most `limit` + 1 rows)."""
    margin = 0.5  # degrees: an outline just outside the view still closes at its edge
    bounds = {
        "west": max(box.west - margin, -180),
        "south": max(box.south - margin, -90),
        "east": min(box.east + margin, 180),
        "north": min(box.north + margin, 90),
    }
    return db.session.execute(AREAS_IN_VIEW, {**bounds, "kind": kind.value, "limit": limit + 1}).all()


def _rings(shape: str | None) -> list[list[tuple[float, float]]]:
    """The rings of a (multi)polygon as Web Mercator fractions."""
    if not shape:
        return []
    geometry = json.loads(shape)
    polygons = {"Polygon": [geometry.get("coordinates", [])], "MultiPolygon": geometry.get("coordinates", [])}
    return [
        [(mercator_fraction_x(lon), mercator_fraction_y(lat)) for lon, lat in ring]
        for polygon in polygons.get(geometry["type"], [])
        for ring in polygon
        if len(ring) >= 3
    ]


def _draw_outlines(axes, box: BoundingBox) -> None:
    """State outlines, and county outlines when the view holds few enough counties."""
    counties = _areas_in_view(box, AreaKind.COUNTY, MAX_COUNTIES_DRAWN)
    if len(counties) <= MAX_COUNTIES_DRAWN:
        rings = [ring for row in counties for ring in _rings(row.shape)]
        axes.add_collection(
            PolyCollection(rings, facecolors="none", edgecolors="#9aa3ad", linewidths=0.35, zorder=2)
        )
    states = _areas_in_view(box, AreaKind.STATE, 100)
    rings = [ring for row in states for ring in _rings(row.shape)]
    axes.add_collection(
        PolyCollection(rings, facecolors="none", edgecolors="#3d4650", linewidths=0.8, zorder=2)
    )


def _draw_choropleth(axes, box: BoundingBox, kind: AreaKind) -> list:
    """States or counties coloured by cameras per 10,000 residents in the choropleth's classes."""
    areas = _areas_in_view(box, kind, MAX_COUNTIES_DRAWN if kind == AreaKind.COUNTY else 100)
    if kind == AreaKind.COUNTY and len(areas) > MAX_COUNTIES_DRAWN:
        raise InvalidInput(
            _(
                "More than %(limit)d counties in this view: draw it with layer=states, or a smaller view.",
                limit=MAX_COUNTIES_DRAWN,
            ),
            code="too_many_counties",
        )
    breaks = legend_of(kind).breaks.get("per_10k_residents", [])
    rings, colours = [], []
    for row in areas:
        if row.population and row.population >= Limits.AREA_POPULATION_FLOOR and breaks:
            ratio = row.cameras * 10_000 / row.population
            colour = CHOROPLETH_COLOURS[next((i for i, b in enumerate(breaks) if ratio <= b), len(breaks))]
        else:
            colour = NO_FIGURE
        for ring in _rings(row.shape):
            rings.append(ring)
            colours.append(colour)
    axes.add_collection(PolyCollection(rings, facecolors=colours, edgecolors="#555555", linewidths=0.4))
    bounds = [0.0, *breaks]
    handles = [
        Patch(facecolor=colour, edgecolor="#555555", linewidth=0.5, label=_class_label(bounds, index))
        for index, colour in enumerate(CHOROPLETH_COLOURS[: len(bounds)])
    ]
    handles.append(Patch(facecolor=NO_FIGURE, edgecolor="#555555", linewidth=0.5, label=_("no figure")))
    return handles


def _class_label(bounds: list[float], index: int) -> str:
    low = bounds[index]
    return f"{low:g}–{bounds[index + 1]:g}" if index + 1 < len(bounds) else f"> {low:g}"


def _place_names(box: BoundingBox) -> list[tuple[str, float, float]]:
    """(name, lon, lat) of the places to write on the view: states on a national view, counties on a
    regional one, cities close up; the gazetteer lists the most populous first."""
    span = box.east - box.west
    kind = "state" if span > 15 else ("county" if span > 2 else "city")
    found = []
    for name, place_kind, west, south, east, north in json.loads(gazetteer_json())["places"]:
        lon, lat = (west + east) / 2, (south + north) / 2
        if place_kind == kind and box.west < lon < box.east and box.south < lat < box.north:
            found.append((name.split(",")[0], lon, lat))
            if len(found) == MAX_PLACE_NAMES:
                break
    return found


def _draw_place_names(axes, box: BoundingBox, font: int) -> None:
    for name, lon, lat in _place_names(box):
        axes.text(
            mercator_fraction_x(lon),
            mercator_fraction_y(lat),
            name,
            fontsize=font,
            color="#1d232b",
            ha="center",
            va="center",
            zorder=4,
            clip_on=True,
            path_effects=[patheffects.withStroke(linewidth=2.5, foreground="#ffffff")],
        )


def attribution_lines(from_osm: bool, as_of: date | None) -> tuple[str, str]:
    """The credit (OpenStreetMap's when data of it is shown, or any import ran) and the dates under a map."""
    credit = _("Cameras: Sightline contributors")
    if from_osm or as_of is not None:
        credit += ", " + _("© OpenStreetMap contributors (ODbL)")
    dates = _("Drawn %(date)s", date=datetime.now(UTC).date().isoformat())
    if as_of is not None:
        dates = _("OpenStreetMap data as of %(date)s", date=as_of.isoformat()) + " · " + dates
    return credit, dates


def _render(request: ImageRequest) -> bytes:
    width, height = request.width, request.height
    strip = 34  # pixels of attribution under the map
    title_strip = 30  # pixels of title above it
    map_height = height - strip - title_strip
    shown = _shown_box(request.view.box_for(width, map_height), width, map_height)
    box = _box_of(shown)
    as_of = osm_data_as_of()
    with _render_lock:
        figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="#ffffff")
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0, strip / height, 1, map_height / height))
        axes.set_facecolor("#ffffff")
        axes.set_xlim(shown[0], shown[2])
        axes.set_ylim(shown[3], shown[1])
        axes.set_xticks([])
        axes.set_yticks([])
        for spine in axes.spines.values():
            spine.set_edgecolor("#8a939c")
        layer = request.view.layer
        if layer == "cameras":
            handles, from_osm = _draw_cameras(axes, box)
            title = _("Verified cameras by vendor")
        elif layer in ("states", "counties"):
            kind = AreaKind.STATE if layer == "states" else AreaKind.COUNTY
            handles, from_osm = _draw_choropleth(axes, box, kind), as_of is not None
            title = _("Cameras per 10,000 residents")
        else:
            handles, from_osm = _draw_density(axes, box, width, map_height), as_of is not None
            title = _("Cameras per cell")
        _draw_outlines(axes, box)
        _draw_place_names(axes, box, 9 if width >= 500 else 7)
        heading = {
            "cameras": _("Verified ALPR cameras by vendor"),
            "states": _("States: cameras per 10,000 residents"),
            "counties": _("Counties: cameras per 10,000 residents"),
        }.get(layer, _("Density of verified ALPR cameras"))
        figure.text(
            0.01,
            1 - title_strip / 2 / height,
            f"{heading} · Sightline",
            fontsize=13 if width >= 500 else 10,
            fontweight="bold",
            color="#1d232b",
            va="center",
        )
        if handles:
            axes.legend(
                handles=handles, title=title, loc="upper right", fontsize=8, title_fontsize=9, framealpha=0.92
            )
        else:
            axes.text(0.5, 0.5, _("No verified cameras in this view."), transform=axes.transAxes, ha="center")
        credit, dates = attribution_lines(from_osm, as_of)
        font = 8 if width >= 500 else 6
        figure.text(0.01, 20 / height, credit, fontsize=font, color="#1d232b", va="center", wrap=True)
        figure.text(0.01, 8 / height, dates, fontsize=font, color="#1d232b", va="center", wrap=True)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
