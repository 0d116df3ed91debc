"""The report form's flows that used to lose work or mislead (issue 23, item 9), in Debian's Chromium: a
refused report keeps its photos and answers in the page (nothing of it is stored), a pin in the ocean is
refused, "I don't know" which way it faces is an answer, and a long note is never cut without a word."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.support import photo_samples as samples
from tests.support.submissions import stored_state
from webapp.areas.builtin import BUILTIN_STATES_FILE
from webapp.areas.importer import import_boundary_files
from webapp.kernel.data.models import Sighting
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import Limits

PACIFIC = (-125.3, 37.5)  # about 250 km west of San Francisco
CHICAGO = (-87.6298, 41.8781)


@pytest.fixture
def states_on_the_map(app, committing_db):
    with app.app_context():
        import_boundary_files([BUILTIN_STATES_FILE])
        db.session.commit()


def place_pin(page, lon: float, lat: float) -> None:
    page.fill("#lat", f"{lat:.6f}")
    page.fill("#lon", f"{lon:.6f}")
    page.dispatch_event("#lon", "change")


@pytest.mark.browser
def test_a_refused_report_keeps_its_photos_and_a_pin_in_the_ocean_is_refused(
    app, page, live_server, states_on_the_map, tmp_path
):
    photo = tmp_path / "camera.jpg"
    photo.write_bytes(samples.jpeg(800, 600))
    page.goto(f"{live_server}/submit")
    page.wait_for_selector("#pin-map.leaflet-container")
    expect(page.locator("fieldset.directions legend")).to_contain_text("(required)")
    page.set_input_files("#photos", str(photo))
    place_pin(page, *PACIFIC)
    expect(page.locator("input[name=camera_id][value=new]")).to_be_checked()  # no camera near the pin
    page.check("#direction-unknown")
    page.fill("#notes", "On the mast arm")
    before = stored_state(app)
    page.click("#send-report")

    expect(page.locator("#refusal")).to_contain_text("outside the areas this map covers")
    expect(page.locator("#refusal")).to_contain_text("Your answers and photos are still in the form")
    assert stored_state(app) == before  # nothing stored, on disk or in the database
    assert page.evaluate("document.getElementById('photos').files.length") == 1
    assert page.input_value("#notes") == "On the mast arm"
    assert page.locator("#direction-unknown").is_checked()

    place_pin(page, *CHICAGO)
    page.click("#send-report")
    page.wait_for_url(f"{live_server}/submit/receipt")
    with app.app_context():
        sighting = db.session.scalars(select(Sighting)).one()
        assert sighting.directions == [] and len(sighting.photos) == 1
        assert sighting.notes == "On the mast arm"


@pytest.mark.browser
def test_a_long_note_is_refused_with_a_word_and_never_cut(app, page, live_server, committing_db):
    page.goto(f"{live_server}/submit")
    page.wait_for_selector("#pin-map.leaflet-container")
    place_pin(page, *CHICAGO)
    page.locator(".compass-point", has_text="NE").click()
    page.check("input[name=camera_id][value=new]")
    expect(page.locator("#notes-count")).to_have_text("0 of 2,000 characters.")
    note = "x" * 10_000
    page.fill("#notes", note)
    assert page.input_value("#notes") == note  # the browser kept every character
    expect(page.locator("#notes-count")).to_have_text(
        "10,000 characters: notes may hold at most 2,000. Shorten them before sending; nothing is cut."
    )
    before = stored_state(app)
    page.click("#send-report")
    expect(page.locator("#refusal")).to_contain_text("notes may hold at most 2,000")
    assert stored_state(app) == before and page.input_value("#notes") == note

    page.fill("#notes", "y" * Limits.NOTES_CHARS)
    expect(page.locator("#notes-count")).to_have_text("2,000 of 2,000 characters.")
    page.click("#send-report")
    page.wait_for_url(f"{live_server}/submit/receipt")
