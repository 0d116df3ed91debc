"""The map's flows that misled (issue 23, item 11), in Debian's Chromium: a county found by the search offers
its coverage page; an uploaded route is drawn and zoomed to, and a new distance recomputes it; the route
tool says what "reads per km" and the rings mean."""

import json

import pytest

from tests.support.coverage_fixtures import (
    ROUTE,
    boundary_file,
    load_testland,
    place_cameras,
    rectangle,
)
from tests.support.maps import on_map, wait_until
from webapp.areas.importer import import_boundary_files
from webapp.kernel.extensions import db


@pytest.fixture
def areas_committed(app, live_server, tmp_path):
    """Testland with its cameras, and a county named as the gazetteer names it."""
    with app.app_context():
        load_testland(tmp_path)
        place_cameras()
        state = boundary_file(
            tmp_path / "ca.geojson.gz",
            [
                {
                    "type": "Feature",
                    "properties": {"GEOID": "06", "name": "California", "population": 39_000_000},
                    "geometry": rectangle(-124.4, 32.5, -114.1, 42.0),
                }
            ],
        )
        county = boundary_file(
            tmp_path / "alameda.geojson.gz",
            [
                {
                    "type": "Feature",
                    "properties": {
                        "GEOID": "06001",
                        "name": "Alameda County, California",
                        "population": 1_600_000,
                    },
                    "geometry": rectangle(-122.33, 37.45, -121.47, 37.91),
                }
            ],
        )
        import_boundary_files([state, county], source="Test boundaries (made in the test)")
        db.session.commit()


@pytest.mark.browser
def test_a_county_found_by_the_search_offers_its_coverage_page(page, live_server, areas_committed):
    page.goto(f"{live_server}/")
    wait_until(page, on_map("true"))
    page.fill(".sightline-search-input", "Alameda County")
    page.locator(".sightline-search-result", has_text="Alameda County, California").first.click()
    link = page.locator(".sightline-search-coverage")
    link.wait_for()
    assert link.inner_text() == "Coverage figures of Alameda County, California"
    link.click()
    page.wait_for_url(f"{live_server}/coverage/areas/06001")
    assert "Alameda County, California" in page.locator("h1").inner_text()


@pytest.mark.browser
def test_an_uploaded_route_is_drawn_zoomed_to_and_recomputed(page, live_server, areas_committed, tmp_path):
    route = tmp_path / "commute.geojson"
    route.write_text(json.dumps({"type": "LineString", "coordinates": ROUTE}))
    page.goto(f"{live_server}/#5/39.5/-98.35/density")
    wait_until(page, on_map("densityMap.getZoom() === 5"))
    explain = page.locator(".sightline-route-explain")
    assert "Reads per km" in explain.inner_text() and "red faces the traffic" in explain.inner_text()

    page.set_input_files(".sightline-route-file", str(route))
    wait_until(page, "document.querySelector('.sightline-route-result').dataset.cameras !== undefined")
    result = page.locator(".sightline-route-result")
    assert result.get_attribute("data-cameras") == "3"
    # The route is on the map and the map shows it.
    assert result.get_attribute("data-route-lines") == "1"
    wait_until(page, on_map("densityMap.getZoom() >= 11"))
    inside = page.evaluate(
        on_map(
            f"densityMap.getBounds().contains([{ROUTE[0][1]}, {ROUTE[0][0]}])"
            f" && densityMap.getBounds().contains([{ROUTE[1][1]}, {ROUTE[1][0]}])"
        )
    )
    assert inside

    # A narrower distance asks again, with the same route.
    page.fill(".sightline-route-buffer input", "10")
    page.dispatch_event(".sightline-route-buffer input", "change")
    wait_until(page, "document.querySelector('.sightline-route-result').textContent.includes('within 10 m')")
    assert "within 10 m" in result.inner_text()
    assert page.console_errors == []


@pytest.mark.browser
def test_a_routes_corridor_is_kept_on_request_and_its_cameras_download(
    page, live_server, areas_committed, tmp_path
):
    """Issue 22, item 4: the route panel keeps the corridor only when asked, then links its Atom feed and
    its cameras in every format; the CSV holds the cameras the route answer counted."""
    route = tmp_path / "commute.geojson"
    route.write_text(json.dumps({"type": "LineString", "coordinates": ROUTE}))
    page.goto(f"{live_server}/#5/39.5/-98.35/density")
    wait_until(page, on_map("densityMap.getZoom() === 5"))
    page.set_input_files(".sightline-route-file", str(route))
    wait_until(page, "document.querySelector('.sightline-route-result').dataset.cameras !== undefined")
    counted = int(page.locator(".sightline-route-result").get_attribute("data-cameras"))
    assert counted == 3
    assert page.locator("[data-testid=area-feed]").count() == 0  # nothing kept before the press

    page.locator(".sightline-route-keep").click()
    feed = page.locator(".sightline-route-kept [data-testid=area-feed]")
    feed.wait_for()
    formats = {
        page.locator(f".sightline-route-kept [data-testid=area-download-{name}]").count()
        for name in ("csv", "geojson", "kml", "parquet", "fgb")
    }
    assert formats == {1}
    csv_url = page.locator(".sightline-route-kept [data-testid=area-download-csv]").get_attribute("href")
    rows = page.request.get(csv_url).text().strip().splitlines()
    data_rows = [row for row in rows if row and not row.startswith("#")]
    assert len(data_rows) - 1 == counted  # the header, then one row per counted camera
    assert page.request.get(feed.get_attribute("href")).status == 200
    assert page.console_errors == []
