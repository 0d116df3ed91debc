"""Agencies in a real browser (Debian's Chromium): an agency page draws its cameras on its map, the network
view draws the neighbourhood with Cytoscape.js (served by the app) and a click on a node adds its
neighbours, and the "cameras that feed a receiver" map draws every camera of the agencies sharing with it; an
area's receivers answer keeps the area to follow it and download its cameras (issue 22).
No request leaves the app, and the CSP holds (no console error)."""

import csv
import io
import json
from urllib.parse import urlsplit

import pytest

from tests.support.agencies import newsroom_world
from tests.support.coverage_fixtures import load_testland, rectangle
from tests.support.maps import on_area_map, on_network, wait_until
from webapp.kernel.extensions import db


@pytest.fixture
def world_committed(app, live_server, tmp_path):
    with app.app_context():
        load_testland(tmp_path)
        world = newsroom_world()
        ids = {name: world[name].id for name in ("sylvania", "toledo", "fbi", "ashland")}
        db.session.commit()
        return ids


def only_own_hosts(page, live_server):
    hosts = {urlsplit(url).netloc for url in page.seen_urls if url.startswith("http")}
    assert hosts == {urlsplit(live_server).netloc}


@pytest.mark.browser
def test_an_agency_page_draws_its_cameras(page, live_server, world_committed):
    page.goto(f"{live_server}/agencies/{world_committed['sylvania']}")
    wait_until(page, "document.getElementById('agency-map').dataset.ready === 'true'")
    drawn = page.locator("#agency-map")
    assert drawn.get_attribute("data-kind") == "points" and drawn.get_attribute("data-drawn") == "3"
    assert "FBI" in page.locator("[data-testid=shares-with]").inner_text()
    only_own_hosts(page, live_server)
    assert page.console_errors == []


@pytest.mark.browser
def test_the_network_draws_and_a_click_expands_a_node(page, live_server, world_committed):
    page.goto(f"{live_server}/agencies/network?agency={world_committed['sylvania']}")
    wait_until(page, "document.getElementById('agency-network').dataset.ready === 'true'")
    network = page.locator("#agency-network")
    assert network.get_attribute("data-nodes") == "4"  # Sylvania, the FBI, USPIS, Toledo
    assert any("/npm/cytoscape/dist/cytoscape.min.js" in url for url in page.seen_urls)
    # Toledo receives from Ashland County, which was not drawn: expanding Toledo adds it. Nodes are drawn on
    # the canvas: Cytoscape knows where each one is. The graph is scrolled into view first: in an 800 px
    # window its lower part is below the fold, where a click reaches nothing.
    network.scroll_into_view_if_needed()
    box = page.evaluate(
        on_network(
            f"(() => {{ const n = network.getElementById('{world_committed['toledo']}');"
            " const b = n.renderedBoundingBox(); return {x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2}; })()"
        )
    )
    frame = network.bounding_box()
    page.mouse.click(frame["x"] + box["x"], frame["y"] + box["y"])
    expanded = "document.getElementById('agency-network').dataset.nodes === '5'"
    wait_until(page, expanded)
    assert page.evaluate(on_network(f"network.getElementById('{world_committed['ashland']}').length")) == 1
    assert "5 agencies shown" in page.locator("[data-testid=network-status]").inner_text()
    only_own_hosts(page, live_server)
    assert page.console_errors == []


@pytest.mark.browser
def test_the_cameras_that_feed_a_receiver_on_a_map(page, live_server, world_committed):
    page.goto(f"{live_server}/agencies/{world_committed['fbi']}/feeding-cameras")
    wait_until(page, "document.getElementById('agency-map').dataset.ready === 'true'")
    drawn = page.locator("#agency-map")
    assert drawn.get_attribute("data-drawn") == "4" and drawn.get_attribute("data-cameras") == "4"
    assert "Sylvania OH PD" in page.locator("[data-testid=feeding-sources]").inner_text()
    only_own_hosts(page, live_server)
    assert page.console_errors == []


@pytest.mark.browser
def test_an_area_drawn_on_the_receivers_page_lists_its_receivers(page, live_server, world_committed):
    page.goto(f"{live_server}/agencies/receivers")
    wait_until(page, "document.getElementById('area-map').dataset.ready === 'true'")
    page.evaluate(on_area_map("areaMap.setView([40.6, -99.45], 9, {animate: false})"))
    page.click("#draw-area")
    frame = page.locator("#area-map").bounding_box()
    # Around Sylvania's three cameras: four corners, then the first again to close the polygon.
    corners = [(-99.6, 40.4), (-99.3, 40.4), (-99.3, 40.8), (-99.6, 40.8), (-99.6, 40.4)]
    for lon, lat in corners:
        point = page.evaluate(on_area_map(f"areaMap.latLngToContainerPoint([{lat}, {lon}])"))
        page.mouse.click(frame["x"] + point["x"], frame["y"] + point["y"])
        page.wait_for_timeout(150)
    page.wait_for_selector("[data-testid=receivers-table]")
    receivers = page.locator("[data-testid=receivers-table]").inner_text()
    assert "FBI" in receivers and "Toledo PD" in receivers
    assert "km²" in page.locator("[data-testid=receivers-place]").inner_text()
    only_own_hosts(page, live_server)
    assert page.console_errors == []


@pytest.mark.browser
def test_a_drawn_area_is_kept_and_its_feed_and_downloads_shown(page, live_server, world_committed, tmp_path):
    area = tmp_path / "sylvania.geojson"
    area.write_text(
        json.dumps({"type": "Feature", "properties": {}, "geometry": rectangle(-99.6, 40.4, -99.3, 40.8)})
    )
    page.goto(f"{live_server}/agencies/receivers")
    page.set_input_files("#area-file", str(area))
    page.get_by_role("button", name="Show the receivers for this area").click()
    page.wait_for_selector("[data-testid=receivers-table]")
    page.get_by_role("button", name="Follow this area and download its cameras").click()
    feed = page.locator("[data-testid=area-feed]")
    feed.wait_for()
    download = page.locator("[data-testid=area-download-csv]").get_attribute("href")
    rows = list(csv.DictReader(io.StringIO(page.request.get(download).text())))
    assert len(rows) == 3 and {row["licence"] for row in rows} == {"ODbL-1.0"}  # Sylvania's three cameras
    assert page.locator("[data-testid=area-download-fgb]").count() == 1
    feed_url = feed.get_attribute("href")
    assert "/feeds/areas/" in feed_url and feed_url.endswith(".atom")
    answer = page.goto(feed_url)
    assert answer.status == 200 and answer.headers["content-type"].startswith("application/atom+xml")
    assert "<feed" in answer.text()
    only_own_hosts(page, live_server)
    assert page.console_errors == []
