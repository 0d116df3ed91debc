"""What the submission tests share: good fields, multipart submissions, posting them to the API, the rows
and files a submission left behind, and the camera already on the map the browser tests report again."""

import io
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from tests.factories import make_camera
from webapp.kernel.extensions import db

# Where the browser tests' camera already on the map stands (lon, lat).
CAMERA_AT = (-87.6298, 41.8781)

GOOD_FIELDS = {
    "lat": "41.878100",
    "lon": "-87.629800",
    "directions": "90",
    "vendor": "flock-safety",
    "mount": "pole",
}


def stored_state(app: Flask) -> tuple[int, int, frozenset[str]]:
    """(sightings, photos, files in the upload folder, including half-written ones)."""
    with app.app_context():
        sightings = db.session.execute(text("SELECT count(*) FROM sightings")).scalar_one()
        photos = db.session.execute(text("SELECT count(*) FROM photos")).scalar_one()
    root = Path(app.config["UPLOAD_DIR"])
    files = (
        frozenset(str(path) for path in root.rglob("*") if path.is_file()) if root.exists() else frozenset()
    )
    return sightings, photos, files


def photo_field(*photos: bytes, name: str = "photo.jpg") -> list:
    return [(io.BytesIO(data), f"{index}-{name}") for index, data in enumerate(photos)]


def submission(photos: list[bytes] = (), **fields) -> dict:
    data = dict(GOOD_FIELDS)
    data.update(fields)
    if photos:
        data["photos"] = photo_field(*photos)
    return data


def post_sighting(client, data, **kwargs):
    """POST a submission to the JSON API as a multipart form (what apps send)."""
    return client.post("/api/v1/sightings", data=data, content_type="multipart/form-data", **kwargs)


def committed_camera_on_the_map(app: Flask) -> int:
    """A verified Flock Safety camera facing east at CAMERA_AT, committed so a live server sees it; its id."""
    with app.app_context():
        camera = make_camera(*CAMERA_AT, vendor="flock-safety", directions=[90])
        db.session.commit()
        return camera.id
