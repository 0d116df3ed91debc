"""Links that reproduce a view, in a real browser (Debian's Chromium): the map keeps zoom, centre and layer in
the address (#zoom/lat/lon/layer), a pasted link opens that view and layer, the back button walks the views
a visitor settled on (small adjustments add no step), and the coverage pages keep their filters and the
table's order in the address."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.coverage.test_coverage_browser import testland_committed  # noqa: F401 (a fixture)
from tests.support.coverage_fixtures import SECOND, SQUARE, STATE
from tests.support.maps import on_map, wait_until


def view(page) -> dict:
    return page.evaluate(
        on_map(
            "({zoom: densityMap.getZoom(), lat: densityMap.getCenter().lat, lon: densityMap.getCenter().lng})"
        )
    )


def settle(page, zoom: int, lat: float, lon: float) -> None:
    """Move the map as a visitor would end a move, and wait until the address says so."""
    page.evaluate(on_map(f"densityMap.setView([{lat}, {lon}], {zoom}, {{animate: false}})"))
    wait_until(page, f"window.location.hash.startsWith('#{zoom}/{lat:.5f}/{lon:.5f}/')")


@pytest.mark.browser
def test_the_address_follows_the_map_and_back_walks_the_views(page, live_server):
    page.goto(f"{live_server}/")
    wait_until(page, on_map("true"))
    # The first view is in the address at once, without a new step of history.
    wait_until(page, "window.location.hash === '#4/39.50000/-98.35000/density'")
    steps = page.evaluate("window.history.length")

    settle(page, 8, 41.5, -87.5)
    settle(page, 12, 41.87, -87.63)
    # A small adjustment corrects the current step instead of adding one.
    page.evaluate(on_map("densityMap.panBy([40, 0], {animate: false})"))
    wait_until(page, "!window.location.hash.startsWith('#12/41.87000/-87.63000/')")
    assert page.evaluate("window.history.length") == steps + 2
    page.check("input[name=layer][value=states]")
    wait_until(page, "window.location.hash.endsWith('/states')")
    assert page.evaluate("window.history.length") == steps + 3

    page.go_back()
    wait_until(page, "!window.location.hash.endsWith('/states')")
    wait_until(page, "document.querySelector('input[name=layer][value=density]').checked")
    assert page.evaluate(on_map("densityMap.sightlineLayer")) == "density"
    page.go_back()
    wait_until(page, on_map("densityMap.getZoom() === 8"))
    assert abs(view(page)["lat"] - 41.5) < 1e-4 and abs(view(page)["lon"] + 87.5) < 1e-4
    assert page.url.endswith("#8/41.50000/-87.50000/density")
    page.go_back()
    wait_until(page, on_map("densityMap.getZoom() === 4"))
    page.go_forward()
    wait_until(page, on_map("densityMap.getZoom() === 8"))
    # Restoring a view adds no step of its own.
    page.wait_for_timeout(800)
    assert page.evaluate("window.history.length") == steps + 3
    assert page.console_errors == []


@pytest.mark.browser
def test_a_pasted_link_opens_its_view_and_layer(page, live_server):
    page.goto(f"{live_server}/#10/40.71280/-74.00600/counties")
    wait_until(page, on_map("densityMap.getZoom() === 10"))
    centre = view(page)
    assert abs(centre["lat"] - 40.7128) < 1e-4 and abs(centre["lon"] + 74.006) < 1e-4
    assert page.locator("input[name=layer][value=counties]").is_checked()
    wait_until(page, "document.querySelector('[data-testid=choropleth-legend]') !== null")
    # Another link pasted into the open page's address.
    page.goto(f"{live_server}/#6/35.00000/-100.00000/density")
    wait_until(page, on_map("densityMap.getZoom() === 6"))
    assert page.locator("input[name=layer][value=density]").is_checked()
    # A damaged address falls back to the national view.
    page.goto(f"{live_server}/#abc/91/x")
    page.reload()
    wait_until(page, on_map("densityMap.getZoom() === 4"))
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.usefixtures("testland_committed")
def test_coverage_filters_and_order_round_trip_through_the_address(page, live_server):
    page.goto(f"{live_server}/coverage")
    wait_until(page, "document.getElementById('coverage-map').dataset.ready === 'true'")
    page.select_option("select[name=kind]", "county")
    page.select_option("select[name=metric]", "per_1k_road_miles")
    page.locator("[data-testid=states-table] th button", has_text="Cameras").click()
    wait_until(page, "window.location.search.includes('sort=')")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {
        "kind": ["county"],
        "metric": ["per_1k_road_miles"],
        "sort": ["cameras"],
        "order": ["desc"],
    }
    cited = page.url
    page.goto("about:blank")
    page.goto(cited)
    wait_until(page, "document.getElementById('coverage-map').dataset.ready === 'true'")
    assert page.locator("select[name=kind]").input_value() == "county"
    assert page.locator("select[name=metric]").input_value() == "per_1k_road_miles"
    header = page.locator("[data-testid=states-table] th", has_text="Cameras")
    assert header.get_attribute("aria-sort") == "descending"

    # An area page: its counties ordered by population, smallest first, from the address alone.
    page.goto(f"{live_server}/coverage/areas/{STATE}?sort=population&order=asc")
    rows = page.locator("[data-testid=counties-table] tbody tr")
    wait_until(page, "document.querySelector('[data-testid=counties-table] th[aria-sort]') !== null")
    order = [rows.nth(index).get_attribute("data-geoid") for index in range(rows.count())]
    assert order[-1] == "98005" and order[0] == "98007"  # Third County (50,000) last, Tiny (100) first
    page.locator("[data-testid=counties-table] th button", has_text="Cameras").click()
    wait_until(page, "window.location.search.includes('sort=cameras')")
    assert rows.first.get_attribute("data-geoid") == SQUARE
    page.locator("[data-testid=counties-table] th button", has_text="Cameras").click()
    wait_until(page, "window.location.search.includes('order=asc')")
    assert rows.last.get_attribute("data-geoid") == SQUARE
    assert SECOND in order
    assert page.console_errors == []
