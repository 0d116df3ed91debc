"""A moderator's actions on a camera already on the map: hide it, mark it removed, make it public again,
or delete one of its published photos. Each flushes; the route commits."""

from flask_babel import gettext as _

from webapp.kernel.audit import record_event
from webapp.kernel.errors import AlreadyHandled, DomainError
from webapp.kernel.models import Camera, User
from webapp.kernel.vocabulary import CameraStatus
from webapp.moderation.locks import lock_camera, lock_photo
from webapp.moderation.photo_release import delete_photo
from webapp.moderation.reasons import optional_reason
from webapp.photos.published import is_published

VERIFIED, HIDDEN, REMOVED = CameraStatus.VERIFIED, CameraStatus.HIDDEN, CameraStatus.REMOVED


def _change_camera_status(
    camera_id: int,
    moderator: User,
    action: str,
    allowed_from: tuple[CameraStatus, ...],
    to: CameraStatus,
    reason: str | None,
) -> Camera:
    reason = optional_reason(reason)
    camera = lock_camera(camera_id)
    if camera.status not in allowed_from:
        raise AlreadyHandled(_("Camera %(id)s is already %(status)s.", id=camera.id, status=camera.status))
    record_event(moderator, action, "camera", camera.id, camera.status, to, reason)
    camera.status = to
    return camera


def hide_camera(camera_id: int, moderator: User, reason: str | None = None) -> Camera:
    """Take a verified camera off every public surface at once (kept for review)."""
    return _change_camera_status(camera_id, moderator, "hide", (VERIFIED,), HIDDEN, reason)


def remove_camera(camera_id: int, moderator: User, reason: str | None = None) -> Camera:
    """Mark a camera as gone (taken down, or never there)."""
    return _change_camera_status(camera_id, moderator, "remove", (VERIFIED, HIDDEN), REMOVED, reason)


def restore_camera(camera_id: int, moderator: User, reason: str | None = None) -> Camera:
    """Make a hidden or removed camera public again."""
    return _change_camera_status(camera_id, moderator, "restore", (HIDDEN, REMOVED), VERIFIED, reason)


CAMERA_ACTIONS = {"hide": hide_camera, "remove": remove_camera, "restore": restore_camera}


def drop_published_photo(photo_id: int, moderator: User, reason: str | None = None) -> None:
    """Delete a photo (row and files) from a camera page, e.g. after a "personal information" flag."""
    reason = optional_reason(reason)
    photo = lock_photo(photo_id)
    if photo is None:
        raise AlreadyHandled(_("This photo is already gone."))
    if not is_published(photo.id):
        # An unreviewed photo is kept or dropped in its sighting's review, where that decision is logged.
        raise DomainError(
            _("This photo is not published: keep or drop it in the review of its sighting."),
            code="not_published",
            status=409,
        )
    detail = f"photo {photo.id}" + (f": {reason}" if reason else "")
    record_event(moderator, "drop_photo", "sighting", photo.sighting_id, reason=detail)
    delete_photo(photo)
