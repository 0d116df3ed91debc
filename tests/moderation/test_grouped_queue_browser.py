"""In Chromium: three reports of one camera sent through the API are one item of the queue ("3 reports", every
photo and note); the moderator reviews the group and verifies it; each receipt shows its own status."""

import pytest

from tests.factories import make_user, photo_bytes
from webapp.kernel.extensions import db

PINS = (
    ("41.878100", "-87.629800", "180"),
    ("41.878130", "-87.629830", "175"),
    ("41.878080", "-87.629780", "185"),
)


@pytest.mark.browser
def test_the_grouped_queue_item_is_reviewed_and_verified_in_the_browser(app, live_server, page):
    with app.app_context():
        make_user("group_mod", role="moderator")
        db.session.commit()
    receipts = []
    for index, (lat, lon, direction) in enumerate(PINS):
        sent = page.request.post(
            f"{live_server}/api/v1/sightings",
            multipart={
                "lat": lat,
                "lon": lon,
                "directions": direction,
                "vendor": "flock-safety",
                "notes": f"report number {index + 1}",
                "photos": {"name": "camera.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes(box=None)},
            },
        )
        assert sent.status == 201, sent.text()
        receipts.append(sent.json()["receipt"])

    page.goto(f"{live_server}/moderate")
    page.fill("input[name=login]", "group_mod")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/moderate")
    items = page.locator(".queue-item")
    assert items.count() == 1
    group = page.locator(".queue-group")
    assert "3 reports" in group.locator("h2").inner_text()
    assert group.locator(".group-report").count() == 3
    assert group.locator(".group-report .thumbs img").count() == 3
    page.wait_for_function(
        "[...document.querySelectorAll('.group-report img')].every(img => img.naturalWidth > 0)"
    )
    for index in range(3):
        assert f"report number {index + 1}" in group.inner_text()

    group.locator("a.button").click()
    page.wait_for_selector(".photo-editor[data-ready=true]")
    assert page.locator(".photo-editor").count() == 3
    assert page.locator("#verify-group-button").inner_text() == "Verify the 3 reports as one camera"
    page.click("#verify-group-button")
    page.wait_for_url(f"{live_server}/moderate")
    assert "3 reports, camera" in page.inner_text(".flashes")
    assert "Nothing to review." in page.content()

    statuses = [
        page.request.get(f"{live_server}/api/v1/sightings/{receipt}").json()["status"] for receipt in receipts
    ]
    assert statuses == ["accepted", "merged", "merged"]
    assert [error for error in page.console_errors if "404 (NOT FOUND)" not in error] == []
    assert all(url.startswith(live_server) for url in page.seen_urls), page.seen_urls
