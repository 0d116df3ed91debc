"""A rejection in Debian's Chromium (issue 23, item 10): no reason is chosen for the moderator, the browser
asks before rejecting (a "no" sends nothing), and the queue then offers to undo it, which puts the report
back in the queue."""

import pytest

from tests.factories import make_photo, make_sighting, make_user
from tests.support.site_pages import log_in_page
from webapp.kernel.data.models import Sighting
from webapp.kernel.extensions import db


@pytest.mark.browser
def test_a_rejection_is_confirmed_and_undone(app, live_server, page):
    with app.app_context():
        make_user("flow_mod", role="moderator")
        sighting = make_sighting()
        make_photo(sighting)
        db.session.commit()
        sighting_id = sighting.id
    log_in_page(page, live_server, "flow_mod")
    page.goto(f"{live_server}/moderate/sightings/{sighting_id}")
    assert page.input_value(".reject-form select[name=reason]") == ""

    page.select_option(".reject-form select[name=reason]", "spam")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click(".reject-form button[type=submit]")
    assert asked and asked[0].startswith("Reject this report?")
    with app.app_context():
        assert db.session.get(Sighting, sighting_id).status == "pending"  # "no" sent nothing

    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".reject-form button[type=submit]")
    page.wait_for_url(f"{live_server}/moderate")
    with app.app_context():
        assert db.session.get(Sighting, sighting_id).status == "rejected"
    page.click("#undo-button")
    page.wait_for_selector(f"#sighting-{sighting_id}")
    with app.app_context():
        assert db.session.get(Sighting, sighting_id).status == "pending"
    assert page.console_errors == []
