"""Coverage in a real browser (Debian's Chromium): on the map page a reporter draws a route and reads its
totals, switches to the choropleth, and the view and layer are in the address; /coverage and an area page
work on a 360 px phone (no sideways scrolling, the chart and the choropleth drawn)."""

from urllib.parse import urlsplit

import pytest

from tests.support.coverage_fixtures import ROUTE, SQUARE, STATE, load_testland, place_cameras
from tests.support.maps import density_map_point, on_map, wait_until
from webapp.kernel.extensions import db


@pytest.fixture
def testland_committed(app, live_server, tmp_path):
    with app.app_context():
        load_testland(tmp_path)
        cameras = place_cameras()
        db.session.commit()
        return {name: camera.id for name, camera in cameras.items()}


@pytest.mark.browser
def test_draw_a_route_on_the_map_and_read_its_totals(page, live_server, testland_committed):
    page.goto(f"{live_server}/#12/40.50050/-99.50000/density")
    wait_until(page, on_map("densityMap.getZoom() === 12"))
    centre = page.evaluate(on_map("densityMap.getCenter()"))
    assert abs(centre["lat"] - 40.5005) < 1e-3 and abs(centre["lng"] + 99.5) < 1e-3

    # The panel counts the verified cameras in view (never the demo one) with their vendors and operators.
    wait_until(page, "document.querySelector('.sightline-view-count') !== null")
    panel = page.locator(".sightline-view-panel")
    assert page.locator(".sightline-view-count").get_attribute("data-count") == "3"
    assert "Flock Safety 2" in panel.inner_text() and "Sheriff 2" in panel.inner_text()

    page.click(".sightline-route-draw")
    for lon, lat in ROUTE:
        point = density_map_point(page, lon, lat)
        page.mouse.click(point["x"], point["y"])
        page.wait_for_timeout(150)
    page.click(".sightline-route-finish")
    wait_until(page, "document.querySelector('.sightline-route-result').dataset.cameras !== undefined")
    result = page.locator(".sightline-route-result")
    assert result.get_attribute("data-cameras") == "3" and result.get_attribute("data-facing") == "2"
    assert "3 cameras within 75 m" in result.inner_text() and "2 face the traffic" in result.inner_text()
    # Each camera along the route is highlighted on the map.
    assert result.get_attribute("data-highlighted") == "3"

    # The choropleth layer, and the layer in the address so the view can be cited.
    page.check("input[name=layer][value=counties]")
    wait_until(page, "window.location.hash.endsWith('/counties')")
    wait_until(page, "document.querySelector('[data-testid=choropleth-legend]') !== null")
    assert any("/tiles/areas/county/" in url for url in page.seen_urls)
    cited = page.url
    page.goto("about:blank")
    page.goto(cited)
    wait_until(page, on_map("document.querySelector('[data-testid=choropleth-legend]') !== null"))
    assert page.locator("input[name=layer][value=counties]").is_checked()
    hosts = {urlsplit(url).netloc for url in page.seen_urls if url.startswith("http")}
    assert hosts == {urlsplit(live_server).netloc}
    assert page.console_errors == []


@pytest.mark.browser
def test_coverage_pages_on_a_phone(chromium, live_server, testland_committed):
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        page.goto(f"{live_server}/coverage")
        wait_until(page, "document.getElementById('timeline-chart').dataset.ready === 'true'")
        wait_until(page, "document.getElementById('coverage-map').dataset.ready === 'true'")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        table = page.locator("[data-testid=states-table]")
        assert "Testland" in table.inner_text()
        assert "Verified cameras only" in page.locator(".coverage-method").inner_text()
        assert "OpenStreetMap contributors" in page.locator(".coverage-method").inner_text()
        box = page.locator("#timeline-chart").bounding_box()
        assert box["width"] <= 360 and box["height"] >= 200

        page.locator("[data-testid=states-table] a", has_text="Testland").click()
        page.wait_for_url(f"**/coverage/areas/{STATE}*")
        wait_until(page, "document.getElementById('timeline-chart').dataset.ready === 'true'")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        counties = page.locator("[data-testid=counties-table]")
        # Sort by cameras, most first: Square County (3) leads.
        page.locator("[data-testid=counties-table] th button", has_text="Cameras").click()
        assert counties.locator("tbody tr").first.get_attribute("data-geoid") == SQUARE
        page.screenshot(path=str(live_server_screenshot()), full_page=True)
        assert errors == []
    finally:
        context.close()


def live_server_screenshot():
    import tempfile
    from pathlib import Path

    return Path(tempfile.gettempdir()) / "sightline-coverage-phone.png"
