"""Every bad input of the submission, through the API and the form: a clear 4xx, and nothing stored (no new
row, no new file) after each."""

import io

import pytest

from tests.support import photo_samples as samples
from tests.support.submissions import GOOD_FIELDS, photo_field, post_sighting, stored_state, submission

BAD_FIELDS = [
    ("lat", None, "missing_field"),
    ("lon", None, "missing_field"),
    ("lat", "", "missing_field"),
    ("lat", "NaN", "invalid_field"),
    ("lat", "nan", "invalid_field"),
    ("lon", "inf", "invalid_field"),
    ("lon", "-Infinity", "invalid_field"),
    ("lat", "1e309", "invalid_field"),
    ("lat", "90.0001", "invalid_field"),
    ("lat", "-91", "invalid_field"),
    ("lon", "180.5", "invalid_field"),
    ("lon", "-181", "invalid_field"),
    ("lat", "41,88", "invalid_field"),
    ("lat", "0x1A", "invalid_field"),
    ("lat", "４１.８", "invalid_field"),
    ("lat", "41.88abc", "invalid_field"),
    ("lon", "1_000", "invalid_field"),
    ("directions", None, "missing_field"),
    ("directions", "360", "invalid_field"),
    ("directions", "-1", "invalid_field"),
    ("directions", "north-ish", "invalid_field"),
    ("directions", "90.5", "invalid_field"),
    ("directions", "0,45,90,135,180,225,270,315,10", "invalid_field"),
    ("vendor", "acme-spycams", "invalid_field"),
    ("vendor", "Flock Safety", "invalid_field"),
    ("mount", "tree", "invalid_field"),
    ("notes", "x" * 2001, "invalid_field"),
    ("notes", "hello\x00world", "invalid_field"),
    ("operator", "bad\x00operator", "invalid_field"),
    ("operator", "two\nlines", "invalid_field"),
    ("operator", "o" * 201, "invalid_field"),
    ("observed_month", "2026-13", "invalid_field"),
    ("observed_month", "March 2026", "invalid_field"),
    ("observed_month", "2999-01", "invalid_field"),
    ("observed_month", "1899-01", "invalid_field"),
    ("camera_id", "one", "invalid_field"),
    ("camera_id", "9" * 40, "invalid_field"),
]

BAD_PHOTOS = [
    ("zero-bytes", samples.zero_bytes, 400, "empty_photo"),
    ("text-named-jpg", samples.text_named_jpg, 415, "unsupported_media_type"),
    ("truncated-jpeg", samples.truncated_jpeg, 422, "unreadable_photo"),
    ("png-bomb", samples.png_bomb, 422, "too_many_pixels"),
    ("png-bomb-100mp", lambda: samples.png_bomb(10_000, 10_000), 422, "too_many_pixels"),
    ("gif", samples.gif, 415, "unsupported_media_type"),
    ("svg", samples.svg, 415, "unsupported_media_type"),
    ("pdf", samples.pdf, 415, "unsupported_media_type"),
]


def with_field(name: str, value):
    data = dict(GOOD_FIELDS)
    if value is None:
        data.pop(name, None)
    else:
        data[name] = value
    return data


@pytest.mark.parametrize(
    ("field", "value", "code"), BAD_FIELDS, ids=[f"{f}={v!r}"[:40] for f, v, _ in BAD_FIELDS]
)
def test_bad_fields_are_refused_with_nothing_stored(app, client, field, value, code):
    before = stored_state(app)
    data = with_field(field, value)
    data["photos"] = photo_field(samples.jpeg())  # a good photo: it must not be stored either
    response = post_sighting(client, data)
    assert response.status_code == 400, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["error"] == code
    assert answer["field"] == field
    assert len(answer["message"]) > 10
    assert stored_state(app) == before


@pytest.mark.parametrize(("name", "build", "status", "code"), BAD_PHOTOS, ids=[row[0] for row in BAD_PHOTOS])
def test_bad_photos_are_refused_with_nothing_stored(app, client, name, build, status, code):
    before = stored_state(app)
    # A good photo first: when a later one fails, the whole submission goes, the good one included.
    response = post_sighting(client, submission([samples.jpeg(), build()]))
    assert response.status_code == status, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["error"] == code
    assert answer["message"].startswith("Photo 2:")
    assert stored_state(app) == before


def test_refused_types_are_named(client):
    message = post_sighting(client, submission([samples.gif()])).get_json()["message"]
    assert "JPEG, PNG, WebP, HEIC/HEIF" in message


def test_six_photos_are_refused(app, client):
    before = stored_state(app)
    response = post_sighting(client, submission([samples.jpeg(64, 48) for _ in range(6)]))
    assert response.status_code == 400
    assert response.get_json()["error"] == "too_many_photos"
    assert "5" in response.get_json()["message"]
    assert stored_state(app) == before


class CountingStream(io.BytesIO):
    """The request body, counting how much of it the app read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def multipart_body(fields: dict, photo: bytes) -> tuple[bytes, str]:
    boundary = "sightline-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_25_mb_photo_is_refused_before_it_is_read_whole(app, client):
    before = stored_state(app)
    big = samples.jpeg(64, 48) + b"\x00" * (25 * 1024 * 1024)
    body, content_type = multipart_body(GOOD_FIELDS, big)
    stream = CountingStream(body)
    response = client.post(
        "/api/v1/sightings", input_stream=stream, content_type=content_type, content_length=len(body)
    )
    assert response.status_code == 413
    assert response.get_json()["message"] == "Each photo may be at most 20 MB."
    assert stream.bytes_read < 21 * 1024 * 1024
    assert stored_state(app) == before


def test_a_request_over_max_content_length_is_refused_unread(app_with, db_session):
    small_app = app_with(MAX_CONTENT_LENGTH=10 * 1024 * 1024)
    before = stored_state(small_app)
    body, content_type = multipart_body(GOOD_FIELDS, b"\xff\xd8\xff" + b"\x00" * (25 * 1024 * 1024))
    stream = CountingStream(body)
    response = small_app.test_client().post(
        "/api/v1/sightings", input_stream=stream, content_type=content_type, content_length=len(body)
    )
    assert response.status_code == 413
    assert response.get_json()["error"] == "payload_too_large"
    assert stream.bytes_read == 0
    assert stored_state(small_app) == before


@pytest.mark.parametrize("name", list(samples.malformed_gps_exifs()))
def test_malformed_exif_gps_is_ignored_not_a_crash(app, client, name):
    before = stored_state(app)
    photo = samples.jpeg(exif=samples.malformed_gps_exifs()[name])
    assert post_sighting(client, submission([photo])).status_code == 201
    after = stored_state(app)
    assert after[:2] == (before[0] + 1, before[1] + 1)
    response = client.post("/submit/photo-position", data={"photo": (io.BytesIO(photo), "p.jpg")})
    assert response.status_code == 200
    assert response.get_json() == {"found": False, "lon": None, "lat": None}


def test_html_in_notes_is_kept_as_text_and_escaped_on_the_form(app, client):
    notes = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    # A refused form shows the notes again: as text, never as markup.
    response = client.post("/submit", data=submission(notes=notes, vendor="nope"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(" in page
    assert "<script>alert(" not in page and "<img src=x" not in page


def test_html_in_notes_is_stored_exactly(client, app_context):
    from sqlalchemy import select

    from webapp.kernel.data.models import Sighting
    from webapp.kernel.extensions import db

    notes = "<b>bold</b> & <script>alert(1)</script>"
    assert post_sighting(client, submission(notes=notes)).status_code == 201
    assert db.session.scalars(select(Sighting.notes)).one() == notes


@pytest.mark.parametrize(("field", "value", "code"), BAD_FIELDS[:6] + BAD_FIELDS[17:22])
def test_the_form_refuses_the_same_way_with_a_page(app, client, field, value, code):
    before = stored_state(app)
    response = client.post("/submit", data=with_field(field, value))
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)
    assert stored_state(app) == before


def test_the_form_refuses_a_bad_photo_with_a_page(app, client):
    before = stored_state(app)
    response = client.post("/submit", data=submission([samples.svg()]))
    assert response.status_code == 415
    assert "Accepted types" in response.get_data(as_text=True)
    assert stored_state(app) == before
