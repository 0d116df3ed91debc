"""Public camera pages: camera-level facts and published photos only; never a submitter, a sighting time
or a sighting id. Photos are served by content hash and only while public."""

from datetime import UTC, date, datetime

from tests.factories import log_in, make_camera, make_photo, make_sighting, make_user, photo_bytes
from webapp.kernel.extensions import db
from webapp.moderation.camera_status import change_camera_status
from webapp.moderation.sightings import reject_sighting, verify_sighting


def verified_with_photo(**sighting_fields):
    moderator = make_user(role="moderator")
    sighting = make_sighting(**sighting_fields)
    photo = make_photo(sighting, photo_bytes())
    camera = verify_sighting(sighting.id, moderator)
    db.session.refresh(photo)
    return camera, sighting, photo


def test_the_page_shows_the_camera_facts(client, app_context):
    camera = make_camera(
        vendor="motorola-vigilant",
        operator="Cook County Sheriff",
        directions=[270, 90],
        mount="traffic_signal",
        first_reported_month=date(2025, 11, 1),
        last_confirmed_month=date(2026, 4, 1),
        confirmations=4,
        source="osm",
        osm_type="node",
        osm_id=123456,
    )
    response = client.get(f"/cameras/{camera.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in (
        "Motorola Solutions / Vigilant",
        "Cook County Sheriff",
        "90°, 270°",
        "On a traffic signal",
        "November 2025",  # months as the page's locale writes them
        "April 2026",
        "its OpenStreetMap entry and 3 reports",
        "OpenStreetMap",
        "Flag this camera",
    ):
        assert text in html, text


def test_the_page_never_shows_submitter_sighting_time_or_id(client, app_context):
    submitter = make_user("quiet_reporter")
    created = datetime(2026, 3, 14, 7, 53, 21, tzinfo=UTC)
    camera, sighting, photo = verified_with_photo(submitter_id=submitter.id, notes="seen on my way to work")
    sighting.reported_on = created.date()  # a report keeps its day only (issue 15)
    db.session.flush()
    html = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert photo.content_hash in html
    for secret in (
        "quiet_reporter",
        "07:53",
        "2026-03-14",
        "seen on my way",
        sighting.receipt,
        f"sighting {sighting.id}",
    ):
        assert secret not in html, secret
    assert "Sighting" not in html and "sighting_id" not in html
    assert f"/photos/{photo.content_hash}/thumb.jpg" in html
    assert "/moderate/" not in html


def test_hidden_removed_and_unknown_cameras_are_404(client, app_context):
    for status in ("hidden", "removed"):
        assert client.get(f"/cameras/{make_camera(status=status).id}").status_code == 404
    assert client.get("/cameras/999999").status_code == 404
    assert client.get("/cameras/abc").status_code == 404


def test_published_photos_are_served_by_content_hash_while_public(client, app_context):
    camera, sighting, photo = verified_with_photo()
    url = f"/photos/{photo.content_hash}/display.jpg"
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert client.get(f"/photos/{photo.content_hash}/thumb.jpg").status_code == 200
    assert client.get(f"/photos/{photo.content_hash}/original.jpg").status_code == 404
    assert client.get(f"/photos/{'0' * 64}/display.jpg").status_code == 404
    # Hiding the camera takes its photos off at once.
    change_camera_status(camera.id, make_user(role="moderator"), "hide")
    assert client.get(url).status_code == 404
    assert client.get(f"/cameras/{camera.id}").status_code == 404


def test_a_pending_report_of_a_camera_adds_no_photo_to_its_page(client, app_context):
    camera = make_camera()
    pending = make_sighting(camera_id=camera.id)
    photo = make_photo(pending)
    html = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert photo.content_hash not in html
    assert "No photos yet." in html
    assert client.get(f"/photos/{photo.content_hash}/display.jpg").status_code == 404


def test_a_logged_in_reporter_sees_the_status_of_their_own_sightings(client, app_context):
    reporter = make_user("rita_reports")
    someone_else = make_user()
    camera, accepted, _ = verified_with_photo(submitter_id=reporter.id)
    rejected = make_sighting(submitter_id=reporter.id)
    reject_sighting(rejected.id, make_user(role="moderator"), "not_alpr")
    make_sighting(submitter_id=reporter.id)
    make_sighting(submitter_id=someone_else.id, operator="Not mine")
    log_in(client, reporter)
    html = client.get("/account/sightings").get_data(as_text=True)
    assert "Waiting for review" in html
    assert "Verified: a new camera on the map" in html
    assert "Rejected: This is not a license-plate reader" in html
    assert f"/cameras/{camera.id}" in html
    assert html.count('<tr class="status-') == 3


def test_moderators_get_a_link_to_the_cameras_moderation_page(client, app_context):
    camera = make_camera()
    assert "moderate-link" not in client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    log_in(client, make_user(role="reporter"))
    assert "moderate-link" not in client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    client.post("/logout")
    log_in(client, make_user(role="moderator"))
    html = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert f'href="/moderate/cameras/{camera.id}"' in html


def test_an_imported_camera_counts_its_openstreetmap_entry_not_as_a_report(client, app_context):
    camera = make_camera(source="osm", osm_type="node", osm_id=987654, confirmations=1)
    html = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert "its OpenStreetMap entry; no report yet" in html
    assert "confirmed by" not in html


def test_every_page_links_the_privacy_statement(client, app_context):
    camera = make_camera()
    for url in ("/", "/submit", f"/cameras/{camera.id}", "/login"):
        assert 'href="/privacy"' in client.get(url).get_data(as_text=True), url


def test_photos_are_listed_by_content_hash_not_in_the_order_they_were_sent(client, app_context):
    moderator = make_user(role="moderator")
    sighting = make_sighting()
    photos = [make_photo(sighting, photo_bytes(box=(40 * number, 30, 60, 60))) for number in range(5)]
    camera = verify_sighting(sighting.id, moderator)
    for photo in photos:
        db.session.refresh(photo)
    in_id_order = [photo.content_hash for photo in sorted(photos, key=lambda photo: photo.id)]
    # The inputs are fixed, so this holds on every run: id order and hash order disagree.
    assert in_id_order != sorted(in_id_order) and len(set(in_id_order)) == 5
    page = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert sorted(in_id_order, key=page.index) == sorted(in_id_order)


def test_an_openstreetmap_camera_credits_openstreetmap_and_a_reported_one_does_not(client, app_context):
    imported = make_camera(source="osm", osm_type="node", osm_id=987654)
    reported = make_camera(-87.7, 41.9)
    credit = "© OpenStreetMap contributors, under the Open Database License (ODbL 1.0)"
    assert credit in client.get(f"/cameras/{imported.id}").get_data(as_text=True)
    assert credit not in client.get(f"/cameras/{reported.id}").get_data(as_text=True)
