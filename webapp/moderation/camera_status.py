"""A moderator's actions on a camera already on the map: hide it, mark it removed, make it public again,
or delete one of its published photos. Each flushes; the route commits."""

from datetime import date

from flask_babel import gettext as _

from webapp.kernel.data.audit import FieldChange, record_event
from webapp.kernel.data.models import Camera, User
from webapp.kernel.errors import AlreadyHandled, DomainError
from webapp.kernel.vocabulary import AuditAction, CameraStatus
from webapp.moderation.locks import lock_camera, lock_photo
from webapp.moderation.photo_release import delete_photo
from webapp.moderation.reasons import optional_reason
from webapp.photos.published import is_published

VERIFIED, HIDDEN, REMOVED = CameraStatus.VERIFIED, CameraStatus.HIDDEN, CameraStatus.REMOVED


# Each status action: the statuses it may start from, and the status it leads to.
TRANSITIONS: dict[AuditAction, tuple[tuple[CameraStatus, ...], CameraStatus]] = {
    # Take a verified camera off every public surface at once (kept for review).
    AuditAction.HIDE: ((VERIFIED,), HIDDEN),
    # Mark a camera as gone (taken down, or never there).
    AuditAction.REMOVE: ((VERIFIED, HIDDEN), REMOVED),
    # Make a hidden or removed camera public again.
    AuditAction.RESTORE: ((HIDDEN, REMOVED), VERIFIED),
}


def allowed_actions(camera: Camera) -> list[str]:
    """The status actions a moderator may take on the camera now."""
    return [action for action, (allowed_from, _to) in TRANSITIONS.items() if camera.status in allowed_from]


def change_camera_status(
    camera_id: int, moderator: User, action: str, reason: str | None = None, removed_month: date | None = None
) -> Camera:
    """Hide, remove or restore a camera (see TRANSITIONS); AlreadyHandled when its status no longer allows
    it. A removal may give the month the camera was taken down (a camera never there has none): only such
    cameras are in the removed-cameras export."""
    allowed_from, to = TRANSITIONS[action]
    reason = optional_reason(reason)
    camera = lock_camera(camera_id)
    if camera.status not in allowed_from:
        raise AlreadyHandled(_("Camera %(id)s is already %(status)s.", id=camera.id, status=camera.status))
    month = removed_month if to == REMOVED else None
    changes = None
    if month != camera.removed_month:
        changes = [FieldChange("removed_month", _month(camera.removed_month), _month(month))]
    record_event(moderator, AuditAction(action), "camera", camera.id, camera.status, to, reason, changes)
    camera.status = to
    camera.removed_month = month
    return camera


def _month(month: date | None) -> str | None:
    return month.strftime("%Y-%m") if month else None


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
    record_event(moderator, AuditAction.DROP_PHOTO, "sighting", photo.sighting_id, reason=detail)
    delete_photo(photo)
