"""The density map in a real browser (Debian's Chromium through Playwright): it loads, the density layer
draws, the count of cameras in view shows, the search jumps to a city, zooming in shows each camera with its
direction cones, and a click opens the camera's page. Every request the page makes goes to the app or to
the configured basemap (here a second local server standing in for OpenStreetMap's tiles)."""

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.factories import make_camera
from tests.support.coverage_fixtures import boundary_file, rectangle
from tests.support.maps import density_map_point, on_map, wait_until
from webapp.areas.importer import import_boundary_files
from webapp.kernel.extensions import db

CHICAGO = (-87.6298, 41.8781)
TILE_PATH = re.compile(r"^/\d+/\d+/\d+\.png$")


def _basemap_tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (228, 232, 236)).save(buffer, "PNG")
    return buffer.getvalue()


class _BasemapHandler(BaseHTTPRequestHandler):
    tile = _basemap_tile()

    def do_GET(self):  # noqa: N802 (the http.server API)
        if not TILE_PATH.match(self.path):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.tile)))
        self.end_headers()
        self.wfile.write(self.tile)

    def log_message(self, *args):
        pass


@pytest.fixture
def basemap(app):
    """A local basemap tile server, configured as TILE_URL for the duration of the test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BasemapHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_port}"
    previous = app.config["TILE_URL"]
    app.config["TILE_URL"] = origin + "/{z}/{x}/{y}.png"
    yield origin
    app.config["TILE_URL"] = previous
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def chicago_cameras(app, live_server, tmp_path):
    with app.app_context():
        # The map's counts of a wide view sum the counties in view (one rule with the view panel): one
        # county around both cities, loaded before the cameras so each camera knows it.
        area = rectangle(-106, 38, -86, 43)
        feature = {"type": "Feature", "geometry": area}
        states = boundary_file(
            tmp_path / "s.geojson.gz",
            [
                {
                    **feature,
                    "properties": {"GEOID": "97", "name": "Plains", "population": 10**6, "roadMiles": 1e4},
                }
            ],
        )
        counties = boundary_file(
            tmp_path / "c.geojson.gz",
            [
                {
                    **feature,
                    "properties": {
                        "GEOID": "97001",
                        "name": "Plains County",
                        "population": 10**6,
                        "roadMiles": 1e4,
                    },
                }
            ],
        )
        import_boundary_files([states, counties], source="Test boundaries (made in the test)")
        cameras = [
            make_camera(
                CHICAGO[0] + (index % 8) * 0.004, CHICAGO[1] + (index // 8) * 0.004, directions=[0, 180]
            )
            for index in range(40)
        ]
        make_camera(-104.9903, 39.7392, vendor="motorola-vigilant")  # Denver
        make_camera(-87.62, 41.87, status="hidden")
        db.session.commit()
        return [(camera.id, *CHICAGO) for camera in cameras[:1]]


@pytest.mark.browser
def test_map_draws_density_counts_searches_zooms_and_opens_a_camera(
    page, live_server, basemap, chicago_cameras
):
    [(first_id, lon, lat)] = chicago_cameras
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(f"{live_server}/")

    # National view: density cells are drawn as SVG circles inside the vector tiles.
    wait_until(page, "document.querySelectorAll('.leaflet-tile path').length >= 2")  # Chicago and Denver
    count = page.locator(".sightline-count")
    count.wait_for()
    wait_until(page, "document.querySelector('.sightline-count').dataset.count !== undefined")
    assert count.get_attribute("data-count") == "41"
    assert "41" in count.inner_text()
    assert page.locator(".sightline-legend").inner_text().startswith("Legend\nCameras per cell")

    # The search box jumps to a city from the offline gazetteer.
    page.fill(".sightline-search-input", "Chicago")
    page.locator(".sightline-search-result", has_text="Chicago, IL").first.click()
    wait_until(page, on_map("densityMap.getZoom() >= 10"))
    centre = page.evaluate(on_map("densityMap.getCenter()"))
    assert abs(centre["lat"] - 41.85) < 0.3 and abs(centre["lng"] + 87.65) < 0.3

    # Street level: each camera is drawn as its vendor's marker (colour and shape), with its direction cones;
    # the legend lists the vendors in view only (not Denver's Motorola camera).
    page.evaluate(on_map(f"densityMap.setView([{lat}, {lon}], 17)"))
    wait_until(page, on_map("densityMap.getZoom() === 17"))
    flock_marker = '.leaflet-tile image[href^="data:image/svg+xml"][href*="%230072b2"]'
    page.wait_for_selector(flock_marker, state="attached", timeout=15000)
    assert page.locator(".sightline-legend-vendors").is_visible()
    wait_until(page, "document.querySelector('.sightline-legend-vendor-rows [data-vendor]') !== null")
    rows = page.locator(".sightline-legend-vendor-rows [data-vendor]")
    assert [rows.nth(i).get_attribute("data-vendor") for i in range(rows.count())] == ["flock-safety"]
    assert page.locator('.leaflet-tile path[fill-opacity="0.25"]').count() >= 2  # cones
    wait_until(page, "/^\\d+ verified/.test(document.querySelector('.sightline-count').textContent)")

    # A click on the camera opens its page.
    point = density_map_point(page, lon, lat)
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert urlsplit(page.url).path == f"/cameras/{first_id}"
    assert page.locator("body").inner_text()

    app_host = urlsplit(live_server).netloc
    basemap_host = urlsplit(basemap).netloc
    hosts = {urlsplit(url).netloc for url in page.seen_urls if not url.startswith(("data:", "blob:"))}
    assert hosts <= {app_host, basemap_host}, hosts
    assert any(urlsplit(url).netloc == basemap_host for url in page.seen_urls), "basemap never loaded"
    assert any("/tiles/" in url for url in page.seen_urls)
    # The browser asks for /favicon.ico on its own (the app has none); nothing else may fail.
    assert [url for url in failed if urlsplit(url).path != "/favicon.ico"] == []
    assert [error for error in page.console_errors if "404 (NOT FOUND)" not in error] == []
