"""Colour is never the only carrier of meaning: every vendor has a marker shape too, neighbours in the list
differ in shape, no two vendors look alike, and the density palette darkens step by step (greyscale)."""

from tests.support.accessibility import relative_luminance
from tests.support.js_modules import call_export
from webapp.frontend.camera_style import DENSITY_SCALE, camera_layer_settings, vendor_styles
from webapp.map.view_image import _colour_of


def _luminance(hex_colour: str) -> float:
    return relative_luminance(*(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)))


def test_each_vendor_has_its_own_look_and_neighbours_differ_in_shape(app_context):
    styles = vendor_styles()
    assert len({(style["colour"], style["shape"]) for style in styles}) == len(styles)
    assert all(style["name"] and style["shape"] for style in styles)
    assert all(first["shape"] != second["shape"] for first, second in zip(styles, styles[1:], strict=False))
    assert styles[-1]["slug"] == "unknown" and styles[-1]["shape"] == "ring"


def test_the_density_palette_darkens_with_every_step():
    luminances = [_luminance(colour) for _, colour in DENSITY_SCALE]
    assert all(lighter > darker for lighter, darker in zip(luminances, luminances[1:], strict=False))
    thresholds = [low for low, _ in DENSITY_SCALE]
    assert thresholds == sorted(thresholds)


def test_the_map_colours_a_cell_as_the_png_does(app):
    """camera-layer.js colours the map's density cells from the settings; view_image the PNG's from
    DENSITY_SCALE: every count reads the same colour on both, at each step's threshold and either side."""
    with app.test_request_context():
        scale = camera_layer_settings()["densityScale"]
    counts = sorted({0, 2_000_000} | {low + shift for low, _ in DENSITY_SCALE for shift in (-1, 0, 1)})
    on_map = call_export("camera-layer.js", "colourFor", [[count, scale] for count in counts])
    assert on_map == [_colour_of(count) for count in counts]
