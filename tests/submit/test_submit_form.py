"""The /submit pages: the form (CSRF-protected, every choice with its hint), the receipt shown once, the
status page, and the two JSON helpers the form's script calls."""

import io
import re

import pytest
from sqlalchemy import select

from tests.factories import make_camera, make_sighting
from tests.support import photo_samples as samples
from tests.support.submissions import stored_state, submission
from webapp.camera_fields.vendors import VENDORS
from webapp.kernel.data.models import Sighting
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import MOUNTS


def csrf_token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_the_form_offers_every_choice(client):
    response = client.get("/submit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="viewport" content="width=device-width' in page
    for vendor in VENDORS:
        assert f'value="{vendor.slug}"' in page
        assert str(vendor.hint).replace("'", "&#39;") in page
    for mount in MOUNTS:
        assert f'<option value="{mount}"' in page
    for degrees in (0, 45, 90, 135, 180, 225, 270, 315):
        assert f'name="directions" value="{degrees}"' in page
    assert 'name="notes"' in page and 'data-max-chars="2000"' in page
    assert 'type="month"' in page and 'name="operator"' in page
    assert 'accept="image/jpeg,image/png,image/webp,image/heic' in page
    assert re.search(r'value="unknown"\s+checked', page)  # "I don't know" is the default


def test_the_form_loads_nothing_from_elsewhere_and_every_script_has_the_nonce(client):
    response = client.get("/submit")
    page = response.get_data(as_text=True)
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
    scripts = re.findall(r"<script[^>]*>", page)
    assert len(scripts) == 4  # the messages, Leaflet, pin-keys.js, submit.js
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert re.findall(r'(?:src|href)="(https?:)?//', page) == []
    assert "/npm/leaflet/dist/leaflet.js" in page
    assert " on" + "click=" not in page and "onerror=" not in page
    assert response.headers["Cache-Control"] == "no-store"


def test_a_report_through_the_form_redirects_to_its_receipt(app, client, app_context):
    camera = make_camera(-87.6298, 41.8782)
    response = client.post("/submit", data=submission([samples.jpeg()], directions=["0", "90", ""]))
    # Post/Redirect/Get: the answer to the report is a redirect, whose reload files nothing.
    assert response.status_code == 303
    assert response.headers["Location"] == "/submit/receipt"
    answer = client.get("/submit/receipt")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    page = answer.get_data(as_text=True)
    receipt = re.search(r'<code id="receipt">([A-Za-z0-9_-]{32})</code>', page)[1]
    # The status check sends the receipt in a POST body: it lands in no URL, history or Referer.
    assert re.search(r'<form method="post" action="/submit/status">', page)
    assert f'name="receipt" value="{receipt}"' in page
    assert 'id="copy-receipt"' in page
    assert f'href="/cameras/{camera.id}"' in page  # the camera on the map 11 m away
    # Reloading shows the same receipt and files nothing more.
    assert receipt in client.get("/submit/receipt").get_data(as_text=True)
    sighting = db.session.scalars(select(Sighting)).one()
    assert sighting.directions == [0, 90] and len(sighting.photos) == 1
    # "I have kept it" forgets it in this browser.
    assert client.post("/submit/receipt/forget").status_code == 303
    forgotten = client.get("/submit/receipt").get_data(as_text=True)
    assert receipt not in forgotten and 'id="no-receipt"' in forgotten


def test_the_status_page_links_to_the_camera_once_verified(client, app_context):
    camera = make_camera(-87.6298, 41.8781)
    pending = make_sighting()
    merged = make_sighting(status="merged", camera_id=camera.id)
    assert 'id="status-camera"' not in client.post("/submit/status", data={"receipt": pending.receipt}).text
    page = client.post("/submit/status", data={"receipt": merged.receipt}).get_data(as_text=True)
    assert f'<a href="/cameras/{camera.id}">' in page


def test_the_status_page(client, app_context):
    sighting = make_sighting(status="rejected", reject_reason="<b>Blurry</b>: please send a sharper photo")
    page = client.post("/submit/status", data={"receipt": sighting.receipt})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-status="rejected"' in text
    assert "&lt;b&gt;Blurry&lt;/b&gt;" in text and "<b>Blurry" not in text

    unknown = client.post("/submit/status", data={"receipt": "x" * 32})
    assert unknown.status_code == 404
    assert 'id="status-unknown"' in unknown.get_data(as_text=True)
    assert client.get("/submit/status").status_code == 200


def test_a_refused_form_keeps_what_was_typed(client):
    response = client.post(
        "/submit",
        data=submission(
            lat="95", notes="Two cameras, one each way", directions=["90", "270"], mount="overpass"
        ),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Latitude must be between -90 and 90." in page
    assert 'value="95"' in page and "Two cameras, one each way</textarea>" in page
    assert re.search(r'value="90"\s+checked', page) and re.search(r'value="270"\s+checked', page)
    assert re.search(r'value="overpass" selected', page)
    assert "Photos are not kept after a refusal" in page


def test_the_form_needs_its_csrf_token(app, client, csrf_on):
    before = stored_state(app)
    refused = client.post("/submit", data=submission())
    assert refused.status_code == 400
    assert stored_state(app) == before

    token = csrf_token_of(client.get("/submit").get_data(as_text=True))
    accepted = client.post("/submit", data={**submission(), "csrf_token": token})
    assert accepted.status_code == 303


def test_the_json_api_needs_no_csrf_token(client, csrf_on):
    assert client.post("/api/v1/sightings", data=submission()).status_code == 201


def test_photo_position_suggests_the_exif_spot_and_needs_the_token(client, csrf_on):
    photo = samples.jpeg(gps=(41.8781, -87.6298))
    refused = client.post("/submit/photo-position", data={"photo": (io.BytesIO(photo), "p.jpg")})
    assert refused.status_code == 400
    token = csrf_token_of(client.get("/submit").get_data(as_text=True))
    answer = client.post(
        "/submit/photo-position", data={"photo": (io.BytesIO(photo), "p.jpg")}, headers={"X-CSRFToken": token}
    ).get_json()
    assert answer == {
        "found": True,
        "lon": pytest.approx(-87.6298, abs=1e-5),
        "lat": pytest.approx(41.8781, abs=1e-5),
    }


def test_photo_position_without_gps_or_without_a_photo(app, client):
    before = stored_state(app)
    nothing = {"found": False, "lon": None, "lat": None}
    photo = samples.jpeg(metadata=False)
    assert (
        client.post("/submit/photo-position", data={"photo": (io.BytesIO(photo), "p.jpg")}).get_json()
        == nothing
    )
    assert client.post("/submit/photo-position", data={}).get_json() == nothing
    svg = samples.svg()
    assert (
        client.post("/submit/photo-position", data={"photo": (io.BytesIO(svg), "p.jpg")}).get_json()
        == nothing
    )
    assert stored_state(app) == before  # nothing is stored for a suggestion


def test_nearby_lists_verified_cameras_around_the_pin(client, app_context):
    near = make_camera(lon=-87.6298, lat=41.8782, vendor="flock-safety", directions=[180])
    make_camera(lon=-87.6298, lat=41.8790)  # 100 m away
    answer = client.get("/submit/nearby?lat=41.8781&lon=-87.6298").get_json()
    assert answer["radius_m"] == 50
    assert [camera["id"] for camera in answer["cameras"]] == [near.id]
    assert answer["cameras"][0]["vendor_name"] == "Flock Safety"
    assert answer["cameras"][0]["directions"] == [180]


@pytest.mark.parametrize("query", ["", "lat=41.8&lon=", "lat=nan&lon=1", "lat=91&lon=1", "lat=1&lon=abc"])
def test_nearby_refuses_bad_coordinates_with_json(client, query):
    response = client.get(f"/submit/nearby?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"] in ("missing_field", "invalid_field")


def test_i_do_not_know_the_direction_is_an_answer_stored_as_none(client, app_context):
    missing = client.post("/submit", data=submission(directions=""))
    assert missing.status_code == 400 and "or “I don&#39;t know”" in missing.text
    both = client.post("/submit", data=submission(directions=["90", "unknown"]))
    assert both.status_code == 400 and "not both" in both.text
    assert client.post("/submit", data=submission(directions="unknown", camera_id="new")).status_code == 303
    assert db.session.scalars(select(Sighting.directions)).one() == []


def test_a_pin_outside_every_state_is_refused(client, app_context):
    from webapp.areas.builtin import BUILTIN_STATES_FILE
    from webapp.areas.importer import import_boundary_files

    import_boundary_files([BUILTIN_STATES_FILE])
    ocean = client.post("/submit", data=submission(lat="37.500000", lon="-125.300000"))
    assert ocean.status_code == 422
    assert "outside the areas this map covers" in ocean.text
    assert client.post("/submit", data=submission()).status_code == 303


def test_the_form_does_not_choose_new_camera_for_the_reporter(client):
    page = client.get("/submit").get_data(as_text=True)
    new_camera = re.search(r'<input type="radio" name="camera_id" value="new"[^>]*>', page)[0]
    assert "required" in new_camera and "checked" not in new_camera
    assert 'maxlength="2000"' not in page  # a browser would cut a long note silently
