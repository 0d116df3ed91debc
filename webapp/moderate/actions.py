"""The moderation actions: verify a sighting as a new camera, merge it into a camera, reject it; hide,
remove or restore a camera; drop a published photo.

Each action is one unit of work: it locks its target row (SELECT ... FOR UPDATE), checks the state, changes
it, appends moderation events and commits. When two moderators act on the same sighting at once, the second
waits for the first one's lock, then finds the sighting no longer pending and gets AlreadyHandled (409), so
no action is applied twice and none is lost. Photo files follow the transaction: new files are written
before the commit (and deleted again if it fails), replaced or dropped files are deleted after it.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import Point
from sqlalchemy import select

from webapp.cameras.vendors import BY_SLUG, normalise_vendor
from webapp.extensions import db
from webapp.models import Camera, Photo, Sighting, User
from webapp.models.vocabulary import MOUNTS
from webapp.moderate.history import record_event
from webapp.photos import redaction
from webapp.photos.references import delete_unreferenced
from webapp.photos.storage import photo_storage

# Two directions closer than this are the same direction (compasses and guesses are rough).
SAME_DIRECTION_DEGREES = 20
MAX_DIRECTIONS = 8
MAX_OPERATOR_LENGTH = 200
MAX_REASON_LENGTH = 500

REJECT_REASONS = {
    "not_alpr": _l("This is not a licence-plate reader"),
    "duplicate": _l("This camera is already on the map"),
    "wrong_place": _l("The position is wrong or unclear"),
    "unclear_photo": _l("The photo does not show the camera clearly"),
    "personal_information": _l("The report shows personal information"),
    "spam": _l("Spam or a test"),
    "other": _l("Other"),
}


class ModerationError(Exception):
    """An action that cannot be carried out; `status` is the HTTP answer, the message says why."""

    status = 400


class AlreadyHandled(ModerationError):
    status = 409


class NotAllowed(ModerationError):
    status = 403


class NotFound(ModerationError):
    status = 404


@dataclass
class CameraFields:
    """What a verified camera will show; the moderator may correct any of it before verifying."""

    lon: float
    lat: float
    directions: list[int]
    vendor: str
    operator: str | None = None
    mount: str | None = None


@dataclass
class PhotoDecision:
    """Drop the photo, or publish it with these boxes ([x, y, w, h] in display pixels) blurred."""

    drop: bool = False
    boxes: list = field(default_factory=list)


@dataclass
class _FileChanges:
    written: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)


def month_of(day: date) -> date:
    return date(day.year, day.month, 1)


def fields_of(sighting: Sighting) -> CameraFields:
    position = to_shape(sighting.geom)
    return CameraFields(
        lon=position.x,
        lat=position.y,
        directions=list(sighting.directions or []),
        vendor=sighting.vendor,
        operator=sighting.operator,
        mount=sighting.mount,
    )


def check_fields(fields: CameraFields) -> CameraFields:
    """Validated, normalised camera fields (ModerationError with a clear message otherwise)."""
    try:
        lon, lat = float(fields.lon), float(fields.lat)
    except (TypeError, ValueError) as error:
        raise ModerationError(_("The position must be two numbers.")) from error
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ModerationError(_("The position is outside the world (longitude -180..180, latitude -90..90)."))
    directions = []
    for value in fields.directions or []:
        try:
            degrees = int(value)
        except (TypeError, ValueError) as error:
            raise ModerationError(_("Directions are whole degrees from 0 to 359.")) from error
        if not 0 <= degrees <= 359:
            raise ModerationError(_("Directions are whole degrees from 0 to 359."))
        if degrees not in directions:
            directions.append(degrees)
    if len(directions) > MAX_DIRECTIONS:
        raise ModerationError(_("At most %(count)s directions.", count=MAX_DIRECTIONS))
    vendor = normalise_vendor(fields.vendor)
    if fields.mount not in (None, "") and fields.mount not in MOUNTS:
        raise ModerationError(_("Unknown mount; choose one of %(mounts)s.", mounts=", ".join(MOUNTS)))
    operator = (fields.operator or "").strip() or None
    if operator is not None and len(operator) > MAX_OPERATOR_LENGTH:
        raise ModerationError(_("The operator is too long (at most %(count)s characters).", count=200))
    return CameraFields(lon, lat, directions, vendor, operator, fields.mount or None)


def angle_between(a: int, b: int) -> int:
    difference = abs(a - b) % 360
    return min(difference, 360 - difference)


def new_directions(known: list[int], proposed: list[int]) -> list[int]:
    """The proposed directions that differ from every known one (and from each other)."""
    added: list[int] = []
    for direction in proposed:
        if all(angle_between(direction, other) >= SAME_DIRECTION_DEGREES for other in [*known, *added]):
            added.append(direction)
    return added


def _point(lon: float, lat: float):
    return from_shape(Point(lon, lat), srid=4326)


def _lock_pending_sighting(sighting_id: int, moderator: User) -> Sighting:
    sighting = db.session.scalar(
        select(Sighting)
        .where(Sighting.id == sighting_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if sighting is None:
        raise NotFound(_("No such sighting."))
    if sighting.submitter_id is not None and sighting.submitter_id == moderator.id:
        raise NotAllowed(_("You reported this sighting yourself: another moderator has to review it."))
    if sighting.status != "pending":
        raise AlreadyHandled(
            _("This sighting was already handled (it is %(status)s).", status=sighting.status)
        )
    return sighting


def _lock_camera(camera_id: int) -> Camera:
    camera = db.session.scalar(
        select(Camera)
        .where(Camera.id == camera_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if camera is None:
        raise NotFound(_("No such camera."))
    return camera


def _sighting_month(sighting: Sighting) -> date:
    return sighting.observed_month or month_of(sighting.created_at.date())


def _drop_photo(photo: Photo, changes: _FileChanges) -> None:
    changes.obsolete += [photo.display_key, photo.thumb_key]
    db.session.delete(photo)


def _publish_photos(
    sighting: Sighting, decisions: dict[int, PhotoDecision] | None, moderator: User, changes: _FileChanges
) -> None:
    """Blur and publish (or drop) every photo of the sighting. Photos without a decision get their
    suggested boxes blurred: the safe default."""
    decisions = decisions or {}
    photos = {photo.id: photo for photo in sighting.photos}
    unknown = set(decisions) - set(photos)
    if unknown:
        raise ModerationError(_("Photo %(id)s does not belong to this sighting.", id=min(unknown)))
    # Every decision is checked before the first file is written, so a bad box leaves no file behind.
    boxes_of: dict[int, list] = {}
    for photo_id, photo in photos.items():
        decision = decisions.get(photo_id) or PhotoDecision(boxes=list(redaction.ensure_suggestions(photo)))
        if decision.drop:
            continue
        try:
            boxes_of[photo_id] = redaction.clean_boxes(decision.boxes, photo.width, photo.height)
        except ValueError as error:
            raise ModerationError(_("Photo %(id)s: %(error)s", id=photo_id, error=error)) from error
    for photo_id, photo in photos.items():
        if photo_id not in boxes_of:
            _drop_photo(photo, changes)
            sighting.photos.remove(photo)
            record_event(moderator, "drop_photo", "sighting", sighting.id, reason=f"photo {photo_id}")
            continue
        boxes = boxes_of[photo_id]
        try:
            written, obsolete = redaction.bake_blur(photo, boxes)
        except FileNotFoundError as error:
            _delete_files(changes.written)
            raise AlreadyHandled(
                _("The file of photo %(id)s is gone: drop the photo to go on.", id=photo_id)
            ) from error
        except Exception:
            _delete_files(changes.written)
            raise
        changes.written += written
        changes.obsolete += obsolete
        photo.public = True
        if boxes:
            record_event(
                moderator,
                "redact_photo",
                "sighting",
                sighting.id,
                reason=f"photo {photo_id}: {len(boxes)} boxes blurred",
            )


def _delete_files(keys: list[str]) -> None:
    storage = photo_storage()
    for key in keys:
        storage.delete(key)


def _commit(changes: _FileChanges) -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        _delete_files(changes.written)
        raise
    # Identical uploads share a content-hash key: a file another row still points at stays.
    delete_unreferenced(changes.obsolete)


def verify_sighting(
    sighting_id: int,
    moderator: User,
    fields: CameraFields | None = None,
    photo_decisions: dict[int, PhotoDecision] | None = None,
) -> Camera:
    """Accept a pending sighting as a new verified camera (with the moderator's corrections)."""
    sighting = _lock_pending_sighting(sighting_id, moderator)
    fields = check_fields(fields or fields_of(sighting))
    month = _sighting_month(sighting)
    camera = Camera(
        geom=_point(fields.lon, fields.lat),
        status="verified",
        vendor=fields.vendor,
        mount=fields.mount,
        directions=fields.directions,
        operator=fields.operator,
        first_seen_month=month,
        last_confirmed_month=month,
        confirmations=1,
        source="report",
    )
    db.session.add(camera)
    db.session.flush()
    changes = _FileChanges()
    _publish_photos(sighting, photo_decisions, moderator, changes)
    record_event(
        moderator, "verify", "sighting", sighting.id, "pending", "accepted", f"new camera {camera.id}"
    )
    record_event(moderator, "create", "camera", camera.id, None, "verified", f"from sighting {sighting.id}")
    sighting.status = "accepted"
    sighting.camera_id = camera.id
    _commit(changes)
    return camera


def merge_into_camera(
    sighting_id: int,
    camera_id: int,
    moderator: User,
    photo_decisions: dict[int, PhotoDecision] | None = None,
) -> Camera:
    """Count a pending sighting as one more confirmation of a verified camera."""
    sighting = _lock_pending_sighting(sighting_id, moderator)
    camera = _lock_camera(camera_id)
    if camera.status != "verified":
        raise AlreadyHandled(
            _(
                "Camera %(id)s is %(status)s: only a verified camera takes confirmations.",
                id=camera.id,
                status=camera.status,
            )
        )
    month = _sighting_month(sighting)
    camera.confirmations += 1
    camera.last_confirmed_month = max(camera.last_confirmed_month or month, month)
    camera.first_seen_month = min(camera.first_seen_month or month, month)
    added = new_directions(list(camera.directions or []), list(sighting.directions or []))
    if added:
        camera.directions = [*camera.directions, *added]
    changes = _FileChanges()
    _publish_photos(sighting, photo_decisions, moderator, changes)
    record_event(moderator, "merge", "sighting", sighting.id, "pending", "merged", f"into camera {camera.id}")
    detail = f"sighting {sighting.id}; confirmations {camera.confirmations}"
    if added:
        detail += f"; directions added {', '.join(map(str, added))}"
    record_event(moderator, "confirm", "camera", camera.id, "verified", "verified", detail)
    sighting.status = "merged"
    sighting.camera_id = camera.id
    _commit(changes)
    return camera


def reject_reason_text(code: str, text: str | None) -> str:
    """The reason the submitter reads through their receipt: the chosen reason, then the free text."""
    if code not in REJECT_REASONS:
        raise ModerationError(_("Choose a reason: %(codes)s.", codes=", ".join(REJECT_REASONS)))
    text = (text or "").strip()
    if code == "other" and not text:
        raise ModerationError(_('Say why in a few words when the reason is "other".'))
    if len(text) > MAX_REASON_LENGTH:
        raise ModerationError(_("The explanation is too long (at most %(count)s characters).", count=500))
    label = str(REJECT_REASONS[code])
    return f"{label}: {text}" if text else label


def reject_sighting(sighting_id: int, moderator: User, code: str, text: str | None = None) -> Sighting:
    """Reject a pending sighting with a reason; its photos are deleted (they will never be public)."""
    reason = reject_reason_text(code, text)
    sighting = _lock_pending_sighting(sighting_id, moderator)
    changes = _FileChanges()
    for photo in list(sighting.photos):
        _drop_photo(photo, changes)
        sighting.photos.remove(photo)
    sighting.status = "rejected"
    sighting.reject_reason = reason
    record_event(moderator, "reject", "sighting", sighting.id, "pending", "rejected", reason)
    _commit(changes)
    return sighting


def _optional_reason(text: str | None) -> str | None:
    text = (text or "").strip() or None
    if text is not None and len(text) > MAX_REASON_LENGTH:
        raise ModerationError(_("The reason is too long (at most %(count)s characters).", count=500))
    return text


def _change_camera_status(
    camera_id: int, moderator: User, action: str, allowed_from: tuple[str, ...], to: str, reason: str | None
) -> Camera:
    reason = _optional_reason(reason)
    camera = _lock_camera(camera_id)
    if camera.status not in allowed_from:
        raise AlreadyHandled(_("Camera %(id)s is already %(status)s.", id=camera.id, status=camera.status))
    record_event(moderator, action, "camera", camera.id, camera.status, to, reason)
    camera.status = to
    _commit(_FileChanges())
    return camera


def hide_camera(camera_id: int, moderator: User, reason: str | None = None) -> Camera:
    """Take a verified camera off every public surface at once (kept for review)."""
    return _change_camera_status(camera_id, moderator, "hide", ("verified",), "hidden", reason)


def remove_camera(camera_id: int, moderator: User, reason: str | None = None) -> Camera:
    """Mark a camera as gone (taken down, or never there)."""
    return _change_camera_status(camera_id, moderator, "remove", ("verified", "hidden"), "removed", reason)


def restore_camera(camera_id: int, moderator: User, reason: str | None = None) -> Camera:
    """Make a hidden or removed camera public again."""
    return _change_camera_status(camera_id, moderator, "restore", ("hidden", "removed"), "verified", reason)


def drop_published_photo(photo_id: int, moderator: User, reason: str | None = None) -> None:
    """Delete a photo (row and files) from a camera page, e.g. after a "personal information" flag."""
    reason = _optional_reason(reason)
    photo = db.session.scalar(
        select(Photo).where(Photo.id == photo_id).with_for_update().execution_options(populate_existing=True)
    )
    if photo is None:
        raise AlreadyHandled(_("This photo is already gone."))
    changes = _FileChanges()
    detail = f"photo {photo.id}" + (f": {reason}" if reason else "")
    record_event(moderator, "drop_photo", "sighting", photo.sighting_id, reason=detail)
    _drop_photo(photo, changes)
    _commit(changes)


def vendor_choices() -> list[tuple[str, str]]:
    return [(slug, vendor.name) for slug, vendor in BY_SLUG.items()]
