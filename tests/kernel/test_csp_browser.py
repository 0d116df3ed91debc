"""The Content-Security-Policy holds in a real browser: the map, the submit page and the moderation queue load
with no violation reported by the page (Folium's inline scripts carry the request's nonce)."""

import pytest

from tests.factories import DEFAULT_PASSWORD, make_camera, make_sighting, make_user
from webapp.kernel.extensions import db

# Runs before any page script and records every violation the browser reports to the page.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


def _violations(page) -> list[str]:
    recorded = page.evaluate("window.__cspViolations")
    reported = [text for text in page.console_errors if "Content Security Policy" in text]
    return recorded + reported


@pytest.fixture
def moderator_with_work(app):
    with app.app_context():
        moderator = make_user("csp_moderator", role="moderator")
        make_camera(-87.6298, 41.8781)
        make_sighting(-87.6301, 41.8783, notes="<script>alert('notes')</script>")
        db.session.commit()
        return moderator.login


@pytest.mark.browser
def test_no_csp_violation_on_map_submit_and_queue(page, live_server, moderator_with_work):
    page.add_init_script(RECORD_VIOLATIONS)

    for path in ("/", "/submit"):
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("networkidle")
        assert page.locator(".leaflet-container").count() >= 1, f"{path}: no map drawn"
        assert _violations(page) == [], path

    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", moderator_with_work)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/moderate")
    page.wait_for_load_state("networkidle")
    assert "/login" not in page.url
    assert page.locator("body").inner_text().count("alert('notes')") >= 1  # shown as text, never run
    assert _violations(page) == [], "/moderate"
    assert page.console_errors == []
