"""POST /api/v1/sightings and GET /api/v1/sightings/<receipt>, against real PostGIS and real files."""

import hashlib
import io
from datetime import date

import pytest
from sqlalchemy import func, select, text

from tests.factories import make_camera, make_sighting, pending_bytes, publish
from tests.support import photo_samples as samples
from tests.support.submissions import photo_field, post_sighting, stored_state, submission
from webapp.kernel.data.models import Photo, Sighting
from webapp.kernel.extensions import db
from webapp.kernel.http.uploads import CappedMemoryFile


def only_sighting() -> Sighting:
    return db.session.scalars(select(Sighting)).one()


def test_a_full_submission_is_stored_pending_with_its_photos(app, client, app_context):
    before = stored_state(app)
    response = post_sighting(
        client,
        submission(
            [samples.jpeg(gps=(41.88, -87.63)), samples.heic()],
            directions=["270", "90"],
            vendor="motorola-vigilant",
            mount="traffic_signal",
            operator="City of Chicago",
            notes="On the north-east corner,\nabove the signal.",
            observed_month="2026-03",
        ),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    answer = response.get_json()
    assert set(answer) == {"receipt", "status", "status_url", "nearby_cameras"}
    assert answer["status"] == "pending"
    assert response.headers["Cache-Control"] == "no-store"

    sighting = only_sighting()
    assert sighting.receipt_hash == hashlib.sha256(answer["receipt"].encode()).hexdigest()
    assert (sighting.vendor, sighting.mount, sighting.directions) == (
        "motorola-vigilant",
        "traffic_signal",
        [90, 270],
    )
    assert sighting.operator == "City of Chicago"
    assert sighting.notes == "On the north-east corner,\nabove the signal."
    assert sighting.observed_month == date(2026, 3, 1)
    assert sighting.submitter_id is None and sighting.camera_id is None
    lon, lat = db.session.execute(select(func.ST_X(Sighting.geom), func.ST_Y(Sighting.geom))).one()
    assert (lon, lat) == (pytest.approx(-87.6298), pytest.approx(41.8781))

    photos = sighting.photos
    assert len(photos) == 2
    for photo in photos:
        assert photo.public is False
        assert photo.suggested_boxes is None
        # Kept in the database until a moderator publishes it (issue 15: no file carries the upload's time).
        display = pending_bytes(photo, "display")
        assert hashlib.sha256(display).hexdigest() == photo.content_hash
        assert hashlib.sha256(pending_bytes(photo, "thumb")).hexdigest() in photo.thumb_key
    after = stored_state(app)
    assert after[:2] == (before[0] + 1, before[1] + 2)
    assert after[2] == before[2]  # no file at all: a display image and a thumbnail per photo, in the database


def test_the_receipt_itself_is_stored_nowhere(client, app_context):
    receipt = post_sighting(client, submission()).get_json()["receipt"]
    for table in ("sightings", "photos", "moderation_events"):
        holding = db.session.execute(
            text(f"SELECT count(*) FROM {table} AS row WHERE row::text LIKE :needle"),  # noqa: S608 (a test's own constants)
            {"needle": f"%{receipt}%"},
        ).scalar_one()
        assert holding == 0


def test_directions_as_one_comma_separated_field_and_defaults(client, app_context):
    fields = {"lat": "41.8781", "lon": "-87.6298", "directions": "0, 180,180"}
    assert post_sighting(client, fields).status_code == 201
    sighting = only_sighting()
    assert sighting.directions == [0, 180]
    assert (sighting.vendor, sighting.mount, sighting.notes, sighting.observed_month) == (
        "unknown",
        None,
        None,
        None,
    )


def test_the_answer_lists_verified_cameras_within_50_m(client, app_context):
    near = make_camera(lon=-87.6298, lat=41.8782, vendor="genetec", directions=[0, 90])
    make_camera(lon=-87.6298, lat=41.8800)  # about 210 m north
    make_camera(lon=-87.62981, lat=41.8781, status="hidden")
    answer = post_sighting(client, submission()).get_json()
    assert [camera["id"] for camera in answer["nearby_cameras"]] == [near.id]
    listed = answer["nearby_cameras"][0]
    assert listed["vendor"] == "genetec" and listed["directions"] == [0, 90]
    assert 10 < listed["distance_m"] < 12
    assert set(listed) == {"id", "lon", "lat", "distance_m", "vendor", "directions"}


def test_this_is_that_camera_makes_the_sighting_a_confirmation(client, app_context):
    camera = make_camera(lon=-87.6298, lat=41.8782)
    response = post_sighting(client, submission(camera_id=str(camera.id)))
    assert response.status_code == 201
    assert only_sighting().camera_id == camera.id


@pytest.mark.parametrize("where", ["far", "hidden", "missing"])
def test_only_a_nearby_verified_camera_can_be_confirmed(app, client, app_context, where):
    if where == "far":
        camera_id = make_camera(lon=-87.6298, lat=41.8800).id
    elif where == "hidden":
        camera_id = make_camera(lon=-87.6298, lat=41.8782, status="hidden").id
    else:
        camera_id = 987654321
    before = stored_state(app)
    response = post_sighting(client, submission(camera_id=str(camera_id)))
    assert response.status_code == 422
    assert response.get_json()["error"] == "camera_not_nearby"
    assert stored_state(app) == before


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        ("pending", None, {"status": "pending"}),
        ("accepted", None, {"status": "accepted"}),
        ("merged", None, {"status": "merged"}),
        ("rejected", "Not an ALPR camera: a traffic-flow sensor.", None),
    ],
)
def test_the_receipt_tells_the_status_and_nothing_more(client, app_context, status, reason, expected):
    sighting = make_sighting(status=status, reject_reason=reason, notes="private notes")
    response = client.get(f"/api/v1/sightings/{sighting.receipt}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == (expected or {"status": "rejected", "reason": reason})


def test_a_submission_can_be_followed_with_its_receipt(client):
    answer = post_sighting(client, submission()).get_json()
    assert answer["status_url"] == f"/api/v1/sightings/{answer['receipt']}"
    assert client.get(answer["status_url"]).get_json() == {"status": "pending"}


@pytest.mark.parametrize("receipt", ["x" * 32, "short", "a" * 200, "%00", "..%2f..%2fetc"])
def test_unknown_receipts_are_404_json(client, app_context, receipt):
    make_sighting()
    response = client.get(f"/api/v1/sightings/{receipt}")
    assert response.status_code == 404
    assert response.get_json()["error"] in ("unknown_receipt", "not_found")
    assert response.get_json()["message"]


def test_the_same_photo_in_two_reports_is_stored_once(app, client, app_context):
    photo = samples.jpeg()
    before = stored_state(app)
    assert post_sighting(client, submission([photo])).status_code == 201
    assert post_sighting(client, submission([photo])).status_code == 201
    keys = db.session.execute(select(Photo.display_key)).scalars().all()
    assert len(keys) == 2 and keys[0] == keys[1]
    # Pending, each report keeps its bytes in the database; published, both share one pair of files.
    assert stored_state(app)[2] == before[2]
    for row in db.session.scalars(select(Photo)).all():
        publish(row)
    after = stored_state(app)
    assert len(after[2] - before[2]) == 2


def test_uploads_are_held_in_memory_not_in_temporary_files(app):
    """Werkzeug would spool a 2 MB file part to a temporary file on disk; ours stay in memory."""
    big = samples.noisy_jpeg(1000, 800)
    assert len(big) > 600_000
    data = {"photos": (io.BytesIO(big), "big.jpg"), "lat": "1", "lon": "1"}
    with app.test_request_context("/api/v1/sightings", method="POST", data=data):
        from flask import request

        stream = request.files["photos"].stream
        assert isinstance(stream, CappedMemoryFile)
        assert stream.getvalue() == big


def test_photo_parts_skip_the_empty_part_a_browser_sends_for_no_file(app, client, app_context):
    before = stored_state(app)
    data = submission()
    data["photos"] = [(io.BytesIO(b""), "")]
    assert post_sighting(client, data).status_code == 201
    assert stored_state(app)[1] == before[1]


def test_photo_field_helper_names_files(app_context):
    assert [name for _, name in photo_field(b"a", b"b")] == ["0-photo.jpg", "1-photo.jpg"]
