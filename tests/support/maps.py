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


# Run in every test page before the page's own scripts (the `page` fixture, tests/conftest.py): each Leaflet
# map and Cytoscape graph the page makes is kept in `window.sightlineTest`, so tests reach them without the
# app keeping its instances anywhere for tests. Leaflet and Cytoscape assign their global once, when loaded.
KEEP_INSTANCES = """
(() => {
  const kept = (window.sightlineTest = { maps: [], graphs: [] });
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get: () => leaflet,
    set(value) {
      leaflet = value;
      value.Map.addInitHook(function () { kept.maps.push(this); });
    },
  });
  let cytoscape;
  Object.defineProperty(window, "cytoscape", {
    configurable: true,
    get: () => cytoscape,
    set(value) {
      const making = (...args) => {
        const graph = value(...args);
        kept.graphs.push(graph);
        return graph;
      };
      cytoscape = Object.assign(making, value);
    },
  });
})();
"""


def _on(name: str, instance: str, expression: str) -> str:
    """A JS expression for page.evaluate: `expression` with `name` bound to `instance`, or null while there
    is none."""
    return f"(({name}) => ({name} ? ({expression}) : null))({instance} || null)"


def on_map(expression: str) -> str:
    """`expression` of `densityMap`, the page's density map, or null before map.js's startDensityMap has set
    it up (it gives the map its `sightlineTiles` layer, in the same task as the rest of the set-up)."""
    density_map = "window.sightlineTest.maps.find((map) => map.sightlineTiles !== undefined)"
    return _on("densityMap", density_map, expression)


def density_map_point(page, lon: float, lat: float) -> dict:
    """Where (lon, lat) is on the page's density map, in page coordinates (for a mouse click)."""
    return page.evaluate(
        on_map(
            f"""(() => {{
            const map = densityMap;
            const p = map.latLngToContainerPoint([{lat}, {lon}]);
            const box = map.getContainer().getBoundingClientRect();
            return {{x: box.left + p.x, y: box.top + p.y}};
        }})()"""
        )
    )


def on_area_map(expression: str) -> str:
    """`expression` of `areaMap`, the receivers page's map (agency-area.js), or null before it is drawn."""
    area_map = "window.sightlineTest.maps.find((map) => map.getContainer().id === 'area-map')"
    return _on("areaMap", area_map, expression)


def on_network(expression: str) -> str:
    """`expression` of `network`, the page's Cytoscape graph (agency-network.js), or null before it is
    drawn."""
    return _on("network", "window.sightlineTest.graphs[0]", expression)
