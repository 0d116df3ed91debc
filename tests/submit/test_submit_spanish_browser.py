"""A report filed entirely in Spanish in Debian's Chromium: the visitor opens the form in English, switches to
Español, and every label, the script's own messages (too many photos, the camera already on the map), a
refusal by the server, the receipt and the status page are in Spanish; the address carries the choice, and
no cookie but the form's own session holds it."""

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
def test_report_a_camera_in_spanish(app, page, live_server, camera_on_the_map, tmp_path):
    page.goto(f"{live_server}/submit")
    assert page.get_attribute("html", "lang") == "en"
    page.click("nav.language-switcher a[hreflang=es]")
    page.wait_for_url(re.compile(r"/submit\?lang=es$"))
    page.wait_for_selector("#pin-map.leaflet-container")
    assert page.get_attribute("html", "lang") == "es"
    expect(page.locator("h1")).to_have_text("Reportar una cámara")
    expect(page.locator("fieldset.where legend")).to_have_text("¿Dónde está la cámara?")
    expect(page.locator("label[for=notes], label:has(#notes)").first).to_contain_text("Notas")
    expect(page.locator("#send-report")).to_have_text("Enviar el reporte")
    expect(page.locator("nav[aria-label=Principal] a[href^='/submit']")).to_have_text("Reportar una cámara")

    # The script's own message, handed to it by the server in Spanish.
    photos = []
    for number in range(6):
        photo = tmp_path / f"foto-{number}.jpg"
        photo.write_bytes(samples.jpeg(640, 480))
        photos.append(str(photo))
    page.set_input_files("#photos", photos)
    expect(page.locator("#photo-problem")).to_have_text("Como máximo 5 fotos por reporte.")

    # A refusal by the server (no direction chosen), in Spanish, and the form still in Spanish after it.
    page.set_input_files("#photos", [])
    page.fill("#lat", f"{CAMERA_AT[1] + 0.00005:.6f}")
    page.fill("#lon", f"{CAMERA_AT[0]:.6f}")
    page.dispatch_event("#lon", "change")
    page.check("input[name=vendor][value=flock-safety]")
    page.locator(f"#duplicate-list input[value='{camera_on_the_map}']").check()
    page.click("#send-report")
    expect(page.locator("#refusal")).to_contain_text(
        "Elija al menos una dirección hacia la que apunta la cámara, o «No sé»."
    )
    expect(page.locator("#refusal")).to_contain_text("Sus respuestas y fotos siguen en el formulario")
    assert page.get_attribute("html", "lang") == "es"
    assert "lang=es" in page.url

    # The camera already on the map, about 6 m away, described by the script in Spanish.
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(samples.jpeg(1600, 1200, gps=(CAMERA_AT[1] + 0.00005, CAMERA_AT[0])))
    page.set_input_files("#photos", str(photo))
    duplicate = page.locator(f"#duplicate-list input[value='{camera_on_the_map}']")
    duplicate.wait_for()
    assert "Flock Safety, a 6 m, orientada hacia 90°" in page.inner_text("#duplicate-list")
    duplicate.check()
    page.click("label.compass-point:has(input[value='90'])")
    page.check("input[name=vendor][value=flock-safety]")
    page.select_option("#mount", "pole")
    page.fill("#notes", "En la esquina, mirando al norte")
    page.click("#send-report")

    expect(page.locator("h1")).to_have_text("Gracias: su reporte llegó")
    assert page.get_attribute("html", "lang") == "es"
    receipt = page.locator("#receipt").inner_text()
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", receipt)
    expect(page.locator("#check-status")).to_have_text("Consultar su estado")
    page.click("#check-status")
    expect(page.locator("#status")).to_have_text("En espera de revisión por un moderador")
    expect(page.locator("h1")).to_have_text("Estado de un reporte")
    assert "lang=es" in page.url
    assert receipt not in page.url

    # The only cookie is the form's session (its CSRF token, and the receipt until the reporter says they
    # kept it): the language lives in the address.
    cookies = page.context.cookies()
    assert [cookie["name"] for cookie in cookies] == ["session"]
    session = app.session_interface.get_signing_serializer(app).loads(cookies[0]["value"])
    assert set(session) == {"csrf_token", "submit_receipt"}
    assert [error for error in page.console_errors if "Failed to load resource" not in error] == []

    with app.app_context():
        sighting = db.session.scalars(select(Sighting)).one()
        assert sighting.camera_id == camera_on_the_map
        assert sighting.notes == "En la esquina, mirando al norte"
