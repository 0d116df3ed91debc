"""Which photos the public may see: a photo a moderator released, of a sighting verified or merged into a
camera. The camera page and the photo route ask here, so the rule is written once."""

from sqlalchemy import Select, select

from webapp.kernel.data.models import Camera, Photo, Sighting
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import PUBLISHED_SIGHTING_STATUSES, CameraStatus


def _published() -> Select:
    return (
        select(Photo)
        .join(Sighting, Sighting.id == Photo.sighting_id)
        .where(Sighting.status.in_(PUBLISHED_SIGHTING_STATUSES), Photo.public.is_(True))
    )


def published_photos(camera_id: int) -> list[Photo]:
    """The photos released on this camera's page (whatever the camera's own status: moderators see them
    on a hidden camera too), in content-hash order: ids (and upload times) would tell which report came
    first."""
    query = _published().where(Sighting.camera_id == camera_id).order_by(Photo.content_hash, Photo.id)
    return list(db.session.scalars(query))


def is_published(photo_id: int) -> bool:
    """Whether this photo is released on a camera page (a pending one is decided in its sighting's review)."""
    return db.session.scalar(_published().where(Photo.id == photo_id).limit(1)) is not None


def public_photo(content_hash: str) -> Photo | None:
    """The photo with this content hash if anyone may see it now: released, and its camera verified with
    its photos not hidden by an open "personal information" flag."""
    query = (
        _published()
        .join(Camera, Camera.id == Sighting.camera_id)
        .where(
            Photo.content_hash == content_hash,
            Camera.status == CameraStatus.VERIFIED,
            Camera.photos_hidden.is_(False),
        )
        .limit(1)
    )
    return db.session.scalar(query)
