"""Item 7 of the submission issue: stored images carry no EXIF, XMP or GPS (checked with Pillow and in the
raw bytes), and a sighting's creation time, receipt and submitter appear on no public page or API answer,
before or after it became a verified camera."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from PIL import ExifTags, Image
from sqlalchemy import select, text

from tests.factories import log_in, make_user
from tests.support import photo_samples as samples
from tests.support.submissions import photo_field, submission
from webapp.kernel.data.models import PendingPhoto, Photo, Sighting
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import db
from webapp.opendata.export_files import write_exports

# Byte patterns of the metadata blocks a JPEG (or anything embedded in it) could carry.
METADATA_MARKERS = (
    b"Exif\x00\x00",
    b"http://ns.adobe.com/xap/1.0/",
    b"<x:xmpmeta",
    b"ICC_PROFILE",
    b"Photoshop 3.0",
    samples.SECRET_COMMENT,
    samples.SECRET_XMP_TEXT.encode(),
    samples.SECRET_MAKE.encode(),
)
# A creation time nobody else would have: a test that finds it found a leak.
CREATED_AT = datetime(2025, 7, 14, 13, 37, 42, tzinfo=UTC)
CREATED_AT_TRACES = ("2025-07-14", "14/07/2025", "07/14/2025", "13:37", "Jul 14", "14 Jul", "1752500262")


def assert_no_metadata(data: bytes) -> None:
    for marker in METADATA_MARKERS:
        assert marker not in data, marker
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert {"exif", "xmp", "icc_profile", "comment"}.isdisjoint(image.info)


def stored_files_of(app: Flask) -> list[bytes]:
    """Every stored copy: a pending photo's two in the database (issue 15), a published one's two files."""
    root = Path(app.config["UPLOAD_DIR"])
    stored = []
    for photo in db.session.scalars(select(Photo)):
        pending = db.session.get(PendingPhoto, photo.id)
        if pending is not None:
            stored += [pending.display, pending.thumb]
        else:
            stored += [(root / photo.display_key).read_bytes(), (root / photo.thumb_key).read_bytes()]
    return stored


def test_stored_images_carry_no_metadata(app, client, app_context):
    originals = [
        samples.jpeg(gps=(41.88, -87.63), orientation=6),
        samples.heic(),
        samples.webp(),
        samples.png(),
    ]
    for original in originals:
        assert any(marker in original for marker in METADATA_MARKERS)  # the samples do carry metadata
    response = client.post(
        "/api/v1/sightings", data=submission(originals), content_type="multipart/form-data"
    )
    assert response.status_code == 201
    stored = stored_files_of(app)
    assert len(stored) == 2 * len(originals)
    for data in stored:
        assert_no_metadata(data)


@pytest.fixture
def verified_report(app, client, app_context):
    """A report sent through the form by a logged-in reporter, then verified by a moderator, with its
    creation time set to CREATED_AT. Returns (receipt, reporter, camera)."""
    from webapp.moderation.photo_release import PhotoDecision
    from webapp.moderation.sightings import verify_sighting

    reporter = make_user("distinctive_reporter_7q")
    moderator = make_user("moderator_for_privacy", role="moderator")
    log_in(client, reporter)
    data = submission(observed_month="")
    data["photos"] = photo_field(samples.jpeg(gps=(41.88, -87.63)))
    page = client.post("/submit", data=data, follow_redirects=True)
    assert page.status_code == 200 and page.request.path == "/submit/receipt", page.text[:500]
    receipt = page.get_data(as_text=True).split('<code id="receipt">')[1].split("</code>")[0]
    client.post("/logout")
    sighting = db.session.scalars(select(Sighting)).one()
    assert sighting.submitter_id == reporter.id
    # A report keeps its day only (issue 15): the traces of CREATED_AT's time cannot be stored any more.
    db.session.execute(text("UPDATE sightings SET reported_on = :day"), {"day": CREATED_AT.date()})
    db.session.expire_all()
    decisions = {photo.id: PhotoDecision(boxes=[]) for photo in sighting.photos}
    camera = verify_sighting(sighting.id, moderator, photo_decisions=decisions)
    # As the route does: publishing wrote the photo's files, which follow the transaction (issue 15).
    commit()
    return receipt, reporter, camera


def public_answers(client, camera, photo_hashes) -> dict[str, bytes]:
    write_exports()
    lon, lat = -87.6298, 41.8781
    urls = [
        "/",
        f"/cameras/{camera.id}",
        "/api/v1/cameras?bbox=-87.7,41.8,-87.6,41.9",
        "/api/v1/cameras/count?bbox=-87.7,41.8,-87.6,41.9",
        "/api/v1/cameras.geojson",
        "/api/v1/cameras.csv",
        "/api/v1/cameras.kml",
        f"/submit/nearby?lat={lat}&lon={lon}",
        "/tiles/16/16815/24357.pbf",  # the tile the camera is in, at a zoom that shows single cameras
        "/tiles/10/262/380.pbf",
        "/tiles/5/8/11.pbf",
        "/privacy",
        "/submit",
    ] + [
        f"/photos/{content_hash}/{variant}.jpg"
        for content_hash in photo_hashes
        for variant in ("display", "thumb")
    ]
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 204), (url, response.status_code)
        answers[url] = response.get_data()
        response.close()
    return answers


def test_creation_time_receipt_and_submitter_appear_on_no_public_surface(
    client, verified_report, app_context
):
    receipt, reporter, camera = verified_report
    hashes = db.session.scalars(select(Photo.content_hash).where(Photo.public.is_(True))).all()
    assert hashes, "the verified report's photo should be public"
    answers = public_answers(client, camera, hashes)
    # The camera is really public: the pages and APIs do show it.
    assert str(camera.id).encode() in answers["/api/v1/cameras.geojson"]
    assert len(answers["/tiles/16/16815/24357.pbf"]) > 0
    needles = [receipt, reporter.login, *CREATED_AT_TRACES]
    for url, body in answers.items():
        for needle in needles:
            assert needle.encode() not in body, f"{url} shows {needle!r}"
        if url.startswith("/photos/"):
            assert_no_metadata(body)


def test_the_receipt_lookup_reveals_only_status(client, verified_report):
    receipt, reporter, _ = verified_report
    answer = client.get(f"/api/v1/sightings/{receipt}")
    assert answer.get_json() == {"status": "accepted"}
    page = client.post("/submit/status", data={"receipt": receipt}).get_data(as_text=True)
    assert 'data-status="accepted"' in page
    for needle in (reporter.login, *CREATED_AT_TRACES):
        assert needle not in page
