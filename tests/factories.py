"""Factories for the rows tests need: cameras, sightings, users. Each flushes and returns the row."""

import hashlib
import secrets
from datetime import date

from geoalchemy2.shape import from_shape
from shapely.geometry import Point

from webapp.accounts.service import create_user
from webapp.kernel.data.models import Camera, Photo, Sighting, User
from webapp.kernel.extensions import db

DEFAULT_PASSWORD = "correct horse battery"


def point(lon: float, lat: float):
    return from_shape(Point(lon, lat), srid=4326)


def make_camera(lon: float = -87.6298, lat: float = 41.8781, **fields) -> Camera:
    fields.setdefault("vendor", "flock-safety")
    fields.setdefault("source", "report")
    fields.setdefault("status", "verified")
    fields.setdefault("directions", [90])
    fields.setdefault("first_reported_month", date(2026, 3, 1))
    fields.setdefault("last_confirmed_month", date(2026, 3, 1))
    camera = Camera(geom=point(lon, lat), **fields)
    db.session.add(camera)
    db.session.flush()
    return camera


def make_sighting(
    lon: float = -87.6298, lat: float = 41.8781, receipt: str | None = None, **fields
) -> Sighting:
    """A pending sighting; `sighting.receipt` holds the secret (only its hash is stored)."""
    receipt = receipt or secrets.token_urlsafe(24)
    fields.setdefault("vendor", "flock-safety")
    fields.setdefault("directions", [180])
    sighting = Sighting(
        geom=point(lon, lat), receipt_hash=hashlib.sha256(receipt.encode()).hexdigest(), **fields
    )
    db.session.add(sighting)
    db.session.flush()
    sighting.receipt = receipt
    return sighting


def make_user(login: str | None = None, role: str = "reporter", password: str = DEFAULT_PASSWORD) -> User:
    return create_user(login or f"user_{secrets.token_hex(4)}", password, role)


def photo_bytes(
    width: int = 640, height: int = 480, box: tuple[int, int, int, int] | None = (200, 150, 160, 80)
):
    """A real JPEG: a smooth gradient, with a black-and-white checkerboard inside `box` ([x, y, w, h])
    so that a test can tell blurred pixels from the original ones."""
    import io

    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    if box:
        x, y, w, h = box
        draw = ImageDraw.Draw(image)
        for top in range(y, y + h, 8):
            for left in range(x, x + w, 8):
                colour = (0, 0, 0) if ((left - x) // 8 + (top - y) // 8) % 2 else (255, 255, 255)
                draw.rectangle([left, top, min(left + 7, x + w - 1), min(top + 7, y + h - 1)], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def make_photo(sighting: Sighting, data: bytes | None = None, suggested_boxes: list | None = None) -> Photo:
    """A photo of a sighting, as the submission pipeline leaves it: display and thumbnail bytes kept in the
    database (no file until a moderator publishes it), content-hash keys, not public, boxes not yet suggested
    (unless given)."""
    import io

    from PIL import Image

    from webapp.photos.pending import keep_pending

    data = data or photo_bytes()
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        thumb = image.convert("RGB")
        thumb.thumbnail((400, 400))
        buffer = io.BytesIO()
        thumb.save(buffer, "JPEG", quality=80)
    keys = []
    for content in (data, buffer.getvalue()):
        digest = hashlib.sha256(content).hexdigest()
        keys.append(f"{digest[:2]}/{digest[2:4]}/{digest}.jpg")
    photo = Photo(
        sighting_id=sighting.id,
        content_hash=hashlib.sha256(data).hexdigest(),
        width=width,
        height=height,
        display_key=keys[0],
        thumb_key=keys[1],
        suggested_boxes=suggested_boxes,
    )
    db.session.add(photo)
    keep_pending(photo, data, buffer.getvalue())
    db.session.flush()
    db.session.refresh(sighting)
    return photo


def publish(photo: Photo) -> Photo:
    """Publish a photo as verification does (without blur): its files are written, its pending row goes."""
    from webapp.photos.pending import publish_files

    publish_files(photo)
    photo.public = True
    db.session.flush()
    return photo


def pending_bytes(photo: Photo, variant: str = "display") -> bytes | None:
    """The bytes a pending photo keeps in the database (None once it is published)."""
    from webapp.photos.pending import pending_variant

    return pending_variant(photo.id, variant)


def log_in(client, user: User | str, password: str = DEFAULT_PASSWORD) -> None:
    """Log a test client in through the real login form (as a User or a login name)."""
    login = user if isinstance(user, str) else user.login
    response = client.post("/login", data={"login": login, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
