"""What map tests share: the density cell and the tile of a point, and waiting for the page's state in
Chromium."""

import math
import time

from webapp.kernel.data.models import DensityCell
from webapp.kernel.extensions import db


def cell_count(z: int, lon: float, lat: float) -> int:
    """The stored count of the zoom-z cell that holds (lon, lat), computed independently of the triggers."""
    from webapp.geo.public_cameras import mercator_x, mercator_y
    from webapp.kernel.data.models.density import CELL_ZOOM_OFFSET

    level = z + CELL_ZOOM_OFFSET
    cell = db.session.get(DensityCell, (z, mercator_x(lon, level), mercator_y(lat, level)))
    return cell.cameras if cell else 0


def tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    n = 2**zoom
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def wait_until(page, expression: str, timeout: float = 15.0):
    """Poll a JS expression with page.evaluate (the CSP forbids the eval that wait_for_function uses)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def module_export(module: str, name: str, expression: str) -> str:
    """A JS expression for page.evaluate (a promise it awaits): `expression` with `name` bound to that export
    of our module static/js/<module>, or null while the export is null. The page's import map resolves the
    plain URL to the hashed one the page loaded, so this is the module instance the page runs."""
    return f"import('/static/js/{module}').then(({{ {name} }}) => ({name} ? ({expression}) : null))"


def on_map(expression: str) -> str:
    """`expression` of `densityMap`, the page's density map (map.js), or null before map.js has started it."""
    return module_export("map.js", "densityMap", expression)
