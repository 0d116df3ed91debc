"""The report form in Debian's Chromium on a 360 px wide phone screen: place the pin, attach a photo (whose
EXIF position is offered for the pin), pick a camera already on the map, send, read the receipt and the
status page. The page talks to nobody but the app."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.support import photo_samples as samples
from tests.support.submissions import CAMERA_AT, committed_camera_on_the_map
from webapp.kernel.data.models import Sighting
from webapp.kernel.extensions import db


@pytest.fixture
def camera_on_the_map(app, committing_db):
    return committed_camera_on_the_map(app)


@pytest.mark.browser
def test_report_a_camera_on_a_phone(app, page, live_server, camera_on_the_map, tmp_path):
    failed_responses = []
    page.on("response", lambda response: response.status >= 400 and failed_responses.append(response.url))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/submit")
    page.wait_for_selector("#pin-map.leaflet-container")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Tapping the map places the pin and fills in the coordinates.
    page.locator("#pin-map").click(position={"x": 180, "y": 120})
    expect(page.locator("#lat")).to_have_value(re.compile(r"^-?\d+\.\d{6}$"))
    assert page.locator(".leaflet-marker-icon").count() == 1

    # "Use my location" moves the pin to where the phone is.
    page.context.grant_permissions(["geolocation"], origin=live_server)
    page.context.set_geolocation({"latitude": 41.9, "longitude": -87.65})
    page.click("#use-my-location")
    expect(page.locator("#lat")).to_have_value("41.900000")
    assert page.input_value("#lon") == "-87.650000"

    # A photo taken next to the camera: its EXIF position is offered, and used only when asked.
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(samples.jpeg(1600, 1200, gps=(CAMERA_AT[1] + 0.00005, CAMERA_AT[0])))
    page.set_input_files("#photos", str(photo))
    page.wait_for_selector("#photo-suggestion:not([hidden])")
    assert page.locator("path.photo-suggestion").count() == 1  # the suggested spot, shown on the map
    page.click("#use-photo-position")
    assert page.locator("#photo-suggestion").is_hidden()
    assert page.locator("path.photo-suggestion").count() == 0
    assert float(page.input_value("#lat")) == pytest.approx(CAMERA_AT[1] + 0.00005, abs=1e-6)
    assert float(page.input_value("#lon")) == pytest.approx(CAMERA_AT[0], abs=1e-6)

    # The camera already on the map, about 6 m away, is offered: "this is that camera".
    duplicate = page.locator(f"#duplicate-list input[value='{camera_on_the_map}']")
    duplicate.wait_for()
    assert "Flock Safety, 6 m away, facing 90°" in page.inner_text("#duplicate-list")
    # It is on the map too, and nothing is chosen for the reporter: not "new camera", with one 6 m away.
    expect(page.locator("path.nearby-camera")).to_have_count(1)
    assert page.locator("input[name=camera_id]:checked").count() == 0
    page.locator("path.nearby-camera").dispatch_event("click")
    assert duplicate.is_checked()

    page.click("label.compass-point:has(input[value='90'])")
    page.click("label.compass-point:has(input[value='270'])")
    page.check("input[name=vendor][value=flock-safety]")
    page.select_option("#mount", "pole")
    page.fill("#notes", "Facing both ways <b>on</b> the corner")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.click("#send-report")
    receipt = page.locator("#receipt").inner_text()
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", receipt)
    receipt_url = page.url
    assert receipt_url == f"{live_server}/submit/receipt"
    # Reloading the answer shows the same receipt and files nothing (Post/Redirect/Get).
    page.reload()
    assert page.locator("#receipt").inner_text() == receipt
    # The nearby camera is a link to its page.
    assert page.get_attribute("#nearby-cameras a", "href") == f"/cameras/{camera_on_the_map}"

    page.click("#check-status")
    page.wait_for_selector("#status")
    assert page.get_attribute("#status", "data-status") == "pending"
    assert "Waiting for review" in page.inner_text("#status")
    # The receipt never appeared in an address the browser visited (history, Referer).
    assert receipt not in receipt_url and receipt not in page.url
    assert all(receipt not in url for url in page.seen_urls)

    assert page.seen_urls, "the page made requests"
    assert all(url.startswith(live_server) for url in page.seen_urls), page.seen_urls
    # Chromium asks for /favicon.ico by itself (the app has none); nothing else may fail, and nothing may be
    # refused by the Content-Security-Policy.
    assert [url for url in failed_responses if not url.endswith("/favicon.ico")] == []
    assert [error for error in page.console_errors if "Failed to load resource" not in error] == []

    with app.app_context():
        sighting = db.session.scalars(select(Sighting)).one()
        assert sighting.camera_id == camera_on_the_map
        assert sighting.directions == [90, 270]
        assert sighting.notes == "Facing both ways <b>on</b> the corner"
        assert len(sighting.photos) == 1
