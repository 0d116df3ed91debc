"""Colour is never the only carrier of meaning: every vendor has a marker shape too, neighbours in the list
differ in shape, no two vendors look alike, and the density palette darkens step by step (greyscale)."""

from tests.support.accessibility import relative_luminance
from webapp.frontend.camera_style import DENSITY_SCALE, vendor_styles


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
