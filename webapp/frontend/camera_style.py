"""How verified cameras look on every Leaflet map that shows them (the density map, a camera page): the
density palette, a colour and a shape per vendor (colour is never the only carrier of meaning), and the
settings static/js/camera-layer.js draws the vector tiles with."""

from flask import url_for
from flask_babel import gettext as _

from webapp.camera_fields.vendors import VENDORS
from webapp.kernel.data.models.density import DENSITY_MAX_ZOOM

# Cameras per cell, and the colour from each threshold up (a log scale: counts span five orders). A sequential
# palette (ColorBrewer YlOrRd) whose lightness falls step by step, so the scale reads in greyscale too; the
# legend writes each step's numbers beside its colour.
DENSITY_SCALE = (
    (1, "#fff3b0"),
    (3, "#fed976"),
    (10, "#feb24c"),
    (30, "#fd8d3c"),
    (100, "#f03b20"),
    (300, "#bd0026"),
    (1000, "#800026"),
)
# One colour per known vendor (colour-blind-safe where it matters most: the largest vendors come first), and
# one of five marker shapes, so that neighbouring vendors in the list differ in shape as well as in colour.
VENDOR_COLOURS = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#8c564b",
    "#7f7f00",
    "#1f3a93",
    "#b22222",
    "#2e8b57",
    "#6a3d9a",
    "#b15928",
    "#ff1493",
)
MARKER_SHAPES = ("circle", "square", "triangle", "diamond", "star")
OTHER_VENDOR_COLOUR = "#555555"
OTHER_VENDOR_SHAPE = "ring"
OSM_COPYRIGHT_LINK = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'


def camera_data_attribution() -> str:
    """The cameras' credit on every map (HTML: Leaflet's attribution control shows it as such)."""
    return _("Cameras: Sightline contributors, %(osm)s contributors (ODbL)", osm=OSM_COPYRIGHT_LINK)


def url_template(endpoint: str, **placeholders: str) -> str:
    """An app URL with {name} placeholders for a script to fill in."""
    url = url_for(endpoint, **{name: f"__{name}__" for name in placeholders})
    for name, placeholder in placeholders.items():
        url = url.replace(f"__{name}__", placeholder)
    return url


def vendor_styles() -> list[dict]:
    """Each known vendor's slug, name, colour and shape, then "unknown or other"."""
    known = [vendor for vendor in VENDORS if vendor.slug != "unknown"]
    styles = [
        {
            "slug": vendor.slug,
            "name": vendor.name,
            "colour": colour,
            "shape": MARKER_SHAPES[index % len(MARKER_SHAPES)],
        }
        for index, (vendor, colour) in enumerate(zip(known, VENDOR_COLOURS, strict=False))
    ]
    styles.append(
        {
            "slug": "unknown",
            "name": _("Unknown or other"),
            "colour": OTHER_VENDOR_COLOUR,
            "shape": OTHER_VENDOR_SHAPE,
        }
    )
    return styles


def camera_layer_settings() -> dict:
    """What camera-layer.js needs to draw the camera tiles: their URL, the zoom where cameras replace
    density cells, the palette and the vendors' styles."""
    return {
        "tileUrl": url_template("tiles.tile", z="{z}", x="{x}", y="{y}"),
        "densityMaxZoom": DENSITY_MAX_ZOOM,
        "densityScale": [{"min": low, "colour": colour} for low, colour in DENSITY_SCALE],
        "vendors": vendor_styles(),
        "otherColour": OTHER_VENDOR_COLOUR,
        "otherShape": OTHER_VENDOR_SHAPE,
    }
