"""What a public camera page shows: camera-level facts only (vendor, operator, directions, mount, months,
confirmations, source) and its published photos. Never a submitter, a sighting time or a sighting id."""

from dataclasses import dataclass
from datetime import date

from geoalchemy2.shape import to_shape
from sqlalchemy import select

from webapp.cameras.vendors import vendor_name
from webapp.extensions import db
from webapp.models import Camera, Photo, Sighting

PUBLISHED_SIGHTING_STATUSES = ("accepted", "merged")


@dataclass(frozen=True)
class PublicPhoto:
    content_hash: str
    width: int
    height: int


@dataclass(frozen=True)
class CameraPage:
    id: int
    lon: float
    lat: float
    vendor: str
    vendor_name: str
    operator: str | None
    directions: list[int]
    mount: str | None
    first_seen_month: date | None
    last_confirmed_month: date | None
    confirmations: int
    source: str
    photos_hidden: bool
    photos: list[PublicPhoto]


def published_photos(camera_id: int) -> list[Photo]:
    """Photos that are public on this camera's page (whatever the camera's own status)."""
    query = (
        select(Photo)
        .join(Sighting, Sighting.id == Photo.sighting_id)
        .where(
            Sighting.camera_id == camera_id,
            Sighting.status.in_(PUBLISHED_SIGHTING_STATUSES),
            Photo.public.is_(True),
        )
        .order_by(Photo.id)
    )
    return list(db.session.scalars(query))


def public_camera(camera_id: int) -> CameraPage | None:
    """The page of a verified camera, or None (hidden, removed and unknown cameras look the same)."""
    camera = db.session.get(Camera, camera_id)
    if camera is None or camera.status != "verified":
        return None
    position = to_shape(camera.geom)
    photos = [] if camera.photos_hidden else published_photos(camera.id)
    return CameraPage(
        id=camera.id,
        lon=position.x,
        lat=position.y,
        vendor=camera.vendor,
        vendor_name=vendor_name(camera.vendor),
        operator=camera.operator,
        directions=sorted(camera.directions or []),
        mount=camera.mount,
        first_seen_month=camera.first_seen_month,
        last_confirmed_month=camera.last_confirmed_month,
        confirmations=camera.confirmations,
        source=camera.source,
        photos_hidden=camera.photos_hidden,
        photos=[PublicPhoto(photo.content_hash, photo.width, photo.height) for photo in photos],
    )
