"""Issue 14 in Chromium: a report filed and a sighting verified with the keyboard only (the pin moved with the
arrow keys); the map's legends say what colours mean in words and shapes and read in greyscale; on a 360 px
phone the legends and panels start folded and the report form fits one thumb; a camera page draws its
camera, cones and neighbours and "I saw this camera too" starts a confirmation."""

import re

import pytest
from geoalchemy2.shape import to_shape
from playwright.sync_api import expect
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD, make_camera, make_sighting, make_user
from tests.support.accessibility import relative_luminance
from tests.support.maps import on_map, wait_until
from webapp.kernel.data.models import Camera, Sighting
from webapp.kernel.extensions import db

PHONE = {"width": 360, "height": 740}


def tab_to(page, selector: str, limit: int = 250, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement && document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {selector}")


def focused_value(page) -> str:
    return page.evaluate("document.activeElement.value")


@pytest.mark.browser
def test_a_report_is_filed_with_the_keyboard_only(app, live_server, page):
    page.goto(f"{live_server}/submit")
    wait_until(page, "document.querySelector('#pin-map.leaflet-container') !== null")
    tab_to(page, "#lat")
    page.keyboard.type("41.878100")
    tab_to(page, "#lon")
    page.keyboard.type("-87.629800")
    page.keyboard.press("Tab")  # leaving the field places the pin
    wait_until(page, "document.querySelector('#pin-map .leaflet-marker-icon') !== null")

    # The pin takes the focus with Shift+Tab (it comes before the fields) and moves with the arrow keys.
    tab_to(page, "#pin-map .leaflet-marker-icon", backwards=True)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowUp")
    lat = float(page.input_value("#lat"))
    lon = float(page.input_value("#lon"))
    assert lon > -87.6298 and lat > 41.8781, (lat, lon)

    tab_to(page, "input[name=directions][value='90']")
    page.keyboard.press("Space")
    tab_to(page, "input[name=vendor]:checked")
    page.keyboard.press("ArrowDown")  # the next vendor in the list
    chosen_vendor = focused_value(page)
    tab_to(page, "#notes")
    page.keyboard.type("seen from the sidewalk")
    # As a sighted user would: the list of cameras near the pin's last position has arrived, with no camera
    # near it, so "new camera" is chosen. Before that the required choice is empty and the browser refuses
    # to send (a CI run on a loaded machine sent too early: the answer came after the Enter).
    expect(page.locator("input[name=camera_id][value=new]")).to_be_checked()
    tab_to(page, "#send-report")
    page.keyboard.press("Enter")
    page.wait_for_selector(".receipt-code")

    with app.app_context():
        sighting = db.session.scalar(select(Sighting))
        position = to_shape(sighting.geom)
        assert (round(position.y, 6), round(position.x, 6)) == (lat, lon)
        assert sighting.directions == [90] and sighting.vendor == chosen_vendor
        assert sighting.notes == "seen from the sidewalk"
    assert page.console_errors == []


@pytest.mark.browser
def test_a_moderator_verifies_a_sighting_with_the_keyboard_only(app, live_server, page):
    with app.app_context():
        make_user("keyboard_mod", role="moderator")
        sighting_id = make_sighting(-87.6298, 41.8781, directions=[90]).id
        db.session.commit()
    page.goto(f"{live_server}/login")
    tab_to(page, "input[name=login]")
    page.keyboard.type("keyboard_mod")
    tab_to(page, "input[name=password]")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/moderate")
    tab_to(page, ".queue-item a.button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/moderate/sightings/{sighting_id}")
    wait_until(page, "document.querySelector('.mini-map .leaflet-marker-icon') !== null")

    tab_to(page, ".mini-map .leaflet-marker-icon")
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    lon = float(page.input_value("#decision-form input[name=lon]"))
    assert lon < -87.6298
    tab_to(page, "#verify-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    with app.app_context():
        camera = db.session.scalar(select(Camera))
        assert camera is not None and camera.status == "verified"
        assert round(to_shape(camera.geom).x, 6) == lon
    assert page.console_errors == []


def _luminance(colour: str) -> float:
    """The luminance of a computed "rgb(r, g, b)" colour."""
    return relative_luminance(*(int(value) for value in re.findall(r"\d+", colour)[:3]))


@pytest.fixture
def chicago(app, live_server):
    with app.app_context():
        flock = make_camera(-87.6298, 41.8781, vendor="flock-safety", directions=[0, 180])
        vigilant = make_camera(-87.6290, 41.8785, vendor="motorola-vigilant", directions=[90])
        far = make_camera(-87.70, 41.95, vendor="genetec")
        db.session.commit()
        return {"flock": flock.id, "vigilant": vigilant.id, "far": far.id}


@pytest.mark.browser
def test_the_legends_read_without_colour(live_server, page, chicago):
    page.goto(f"{live_server}/#5/41.8781/-87.6298/density")
    wait_until(page, "document.querySelectorAll('.sightline-legend-density .sightline-swatch').length > 0")
    steps = page.evaluate(
        """[...document.querySelectorAll('.sightline-legend-density .sightline-legend-row')].map(row => ({
            colour: getComputedStyle(row.querySelector('.sightline-swatch')).backgroundColor,
            text: row.textContent.trim()}))"""
    )
    # In greyscale the density steps still go from light to dark, and each step says its numbers.
    luminances = [_luminance(step["colour"]) for step in steps]
    assert len(steps) >= 5 and luminances == sorted(luminances, reverse=True), luminances
    assert len(set(luminances)) == len(luminances)
    assert all(re.fullmatch(r"\d+(–\d+|\+)", step["text"]) for step in steps), steps

    # At street level each vendor in view is listed by name with its marker shape, and the markers on the
    # map are those shapes (not only colours).
    # (Through the address, as a pasted link: a setView of the test's own could race the page restoring the
    # view of its first address.)
    page.goto(f"{live_server}/#17/41.87830/-87.62940/density")
    wait_until(page, on_map("densityMap.getZoom() === 17"))
    wait_until(page, "document.querySelectorAll('.sightline-legend-vendor-rows [data-vendor]').length === 2")
    rows = page.evaluate(
        """[...document.querySelectorAll('.sightline-legend-vendor-rows [data-vendor]')].map(row => ({
            vendor: row.dataset.vendor, text: row.textContent.trim(),
            shape: row.querySelector('svg path').getAttribute('d')}))"""
    )
    assert [row["vendor"] for row in rows] == ["flock-safety", "motorola-vigilant"]
    assert [row["text"] for row in rows] == ["Flock Safety", "Motorola Solutions / Vigilant"]
    assert rows[0]["shape"] != rows[1]["shape"]
    wait_until(
        page, "document.querySelectorAll('.leaflet-tile image[href^=\"data:image/svg+xml\"]').length >= 2"
    )
    drawn = page.evaluate(
        """[...document.querySelectorAll('.leaflet-tile image')].map(image =>
            decodeURIComponent(image.getAttribute('href')))"""
    )
    for row in rows:
        assert any(row["shape"] in marker for marker in drawn), row["vendor"]


@pytest.mark.browser
def test_on_a_phone_panels_start_folded_and_the_form_fits_a_thumb(chromium, live_server, chicago):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/#16/41.8783/-87.6294/density")
        wait_until(page, "document.querySelectorAll('.sightline-toggle').length >= 4")
        toggles = page.locator(".sightline-toggle")
        assert all(toggles.nth(i).get_attribute("aria-expanded") == "false" for i in range(toggles.count()))
        # Folded, the legend takes a sliver of the map, not 40 % of it.
        legend = page.locator(".sightline-legend").bounding_box()
        shell = page.locator(".map-shell").bounding_box()
        assert legend["width"] * legend["height"] < 0.08 * shell["width"] * shell["height"]
        page.locator(".sightline-legend .sightline-toggle").tap()
        assert page.locator(".sightline-legend .sightline-toggle").get_attribute("aria-expanded") == "true"
        wait_until(
            page, "document.querySelectorAll('.sightline-legend-vendor-rows [data-vendor]').length === 2"
        )
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

        page.goto(f"{live_server}/submit")
        wait_until(page, "document.querySelector('#pin-map.leaflet-container') !== null")
        # Photo first, the pin after.
        photos = page.locator("fieldset.photos").bounding_box()
        where = page.locator("fieldset.where").bounding_box()
        assert photos["y"] < where["y"]
        small = page.evaluate(
            """[...document.querySelectorAll(
                '#submit-form button, #submit-form select, #submit-form textarea, #submit-form .choice,' +
                '#submit-form .compass-point span, #submit-form input:not([type=hidden]):not([type=radio])' +
                ':not([type=checkbox]), #pin-map .leaflet-bar a')]
              .filter(e => e.offsetParent !== null)
              .map(e => ({what: e.id || e.className || e.tagName, box: e.getBoundingClientRect()}))
              .filter(e => e.box.height < 44 || e.box.width < 44)
              .map(e => e.what + ' ' + Math.round(e.box.width) + 'x' + Math.round(e.box.height))"""
        )
        assert small == []
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.browser
def test_a_camera_page_maps_the_camera_and_starts_a_confirmation(app, live_server, page, chicago):
    page.goto(f"{live_server}/cameras/{chicago['flock']}")
    wait_until(page, "document.getElementById('camera-map').dataset.ready === 'true'")
    # The tiles draw this camera and its neighbour as markers, with this camera's two cones; it is ringed.
    wait_until(page, "document.querySelectorAll('#camera-map .leaflet-tile image').length >= 2")
    wait_until(
        page, "document.querySelectorAll('#camera-map .leaflet-tile path[fill-opacity=\"0.25\"]').length >= 3"
    )
    assert page.locator("#camera-map path.this-camera").count() == 1
    neighbours = page.locator(".neighbours li")
    assert [neighbours.nth(i).get_attribute("data-camera-id") for i in range(neighbours.count())] == [
        str(chicago["vigilant"])
    ]
    assert any("/tiles/" in url for url in page.seen_urls)

    tab_to(page, "#saw-this-camera")
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit?camera=*")
    assert f"You are confirming camera {chicago['flock']}" in page.inner_text("#confirming")
    assert page.is_checked(f"input[name=camera_id][value='{chicago['flock']}']")
    assert (page.input_value("#lat"), page.input_value("#lon")) == ("41.878100", "-87.629800")
    wait_until(page, "document.querySelector('#pin-map .leaflet-marker-icon') !== null")
    page.wait_for_timeout(600)  # the nearby list arrives; the confirmed camera stays one choice
    assert page.locator(f"input[name=camera_id][value='{chicago['flock']}']").count() == 1
    assert page.console_errors == []
