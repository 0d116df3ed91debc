"""Deciding a pending sighting: verify it as a new camera (with the moderator's corrections), merge it into a
camera already on the map, or reject it. Each locks the sighting first (webapp.moderation.locks), changes
rows and flushes; the route commits. The audit history records every field the moderator changed."""

from flask_babel import gettext as _
from geoalchemy2.shape import to_shape

from webapp.camera_fields.directions import new_directions
from webapp.camera_fields.rules import CameraFields
from webapp.kernel.data.audit import field_changes, record_event
from webapp.kernel.data.models import Camera, Sighting, User
from webapp.kernel.data.row_locks import locked
from webapp.kernel.errors import AlreadyHandled, NotAllowed
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AuditAction, CameraSource, CameraStatus, SightingStatus
from webapp.moderation.camera_facts import fields_snapshot, point
from webapp.moderation.locks import lock_camera, lock_pending_sighting
from webapp.moderation.photo_release import PhotoDecision, release_photos
from webapp.moderation.reasons import reject_reason_text


def fields_of(sighting: Sighting) -> CameraFields:
    """What the submitter proposed, as camera fields."""
    position = to_shape(sighting.geom)
    return CameraFields(
        lon=position.x,
        lat=position.y,
        directions=sorted(sighting.directions or []),
        vendor=sighting.vendor,
        mount=sighting.mount,
        operator=sighting.operator,
    )


def verify_sighting(
    sighting_id: int,
    moderator: User,
    fields: CameraFields | None = None,
    photo_decisions: dict[int, PhotoDecision] | None = None,
) -> Camera:
    """Accept a pending sighting as a new verified camera, with the moderator's corrected `fields` (the
    sighting's own when None). The history keeps each corrected field from -> to."""
    return verify_locked(lock_pending_sighting(sighting_id, moderator), moderator, fields, photo_decisions)


def verify_locked(
    sighting: Sighting,
    moderator: User,
    fields: CameraFields | None,
    photo_decisions: dict[int, PhotoDecision] | None,
) -> Camera:
    """verify_sighting() for a sighting this transaction has locked and found pending."""
    proposed = fields_of(sighting)
    fields = fields or proposed
    month = sighting.month
    camera = Camera(
        geom=point(fields.lon, fields.lat),
        status=CameraStatus.VERIFIED,
        vendor=fields.vendor,
        mount=fields.mount,
        directions=list(fields.directions),
        operator=fields.operator,
        first_reported_month=month,
        last_confirmed_month=month,
        confirmations=1,
        source=CameraSource.REPORT,
        demo=sighting.demo,
    )
    db.session.add(camera)
    db.session.flush()
    release_photos(sighting, photo_decisions, moderator)
    corrections = field_changes(fields_snapshot(proposed), fields_snapshot(fields))
    record_event(
        moderator,
        AuditAction.VERIFY,
        "sighting",
        sighting.id,
        SightingStatus.PENDING,
        SightingStatus.ACCEPTED,
        f"new camera {camera.id}",
        changes=corrections,
    )
    record_event(
        moderator,
        AuditAction.CREATE,
        "camera",
        camera.id,
        None,
        CameraStatus.VERIFIED,
        f"from sighting {sighting.id}",
        changes=corrections,
    )
    sighting.status = SightingStatus.ACCEPTED
    sighting.camera_id = camera.id
    db.session.flush()
    return camera


def merge_into_camera(
    sighting_id: int,
    camera_id: int,
    moderator: User,
    photo_decisions: dict[int, PhotoDecision] | None = None,
) -> Camera:
    """Count a pending sighting as one more confirmation of a verified camera (a direction it adds is
    recorded as a change of the camera)."""
    sighting = lock_pending_sighting(sighting_id, moderator)
    camera = lock_camera(camera_id)
    return merge_locked(sighting, camera, moderator, photo_decisions)


def merge_locked(
    sighting: Sighting, camera: Camera, moderator: User, photo_decisions: dict[int, PhotoDecision] | None
) -> Camera:
    """merge_into_camera() for a sighting and a camera this transaction has locked."""
    if camera.status != CameraStatus.VERIFIED:
        raise AlreadyHandled(
            _(
                "Camera %(id)s is %(status)s: only a verified camera takes confirmations.",
                id=camera.id,
                status=camera.status,
            )
        )
    if sighting.demo and not camera.demo:
        raise NotAllowed(
            _(
                "Report %(id)s is a demo report: verify or reject it; it cannot confirm a real camera.",
                id=sighting.id,
            )
        )
    month = sighting.month
    before = _camera_facts(camera)
    camera.confirmations += 1
    camera.last_confirmed_month = max(camera.last_confirmed_month or month, month)
    # A confirmation is not a first report: an unknown month (an OpenStreetMap camera) stays unknown, and a
    # known one moves back only when this report saw the camera earlier.
    if camera.first_reported_month is not None:
        camera.first_reported_month = min(camera.first_reported_month, month)
    added = new_directions(list(camera.directions or []), list(sighting.directions or []))
    if added:
        camera.directions = sorted([*camera.directions, *added])
        # A direction the reports added is the moderators' now: a re-import from OpenStreetMap keeps it.
        camera.moderated_fields = sorted({*camera.moderated_fields, "directions"})
    release_photos(sighting, photo_decisions, moderator)
    record_event(
        moderator,
        AuditAction.MERGE,
        "sighting",
        sighting.id,
        SightingStatus.PENDING,
        SightingStatus.MERGED,
        f"into camera {camera.id}",
    )
    detail = f"sighting {sighting.id}; confirmations {camera.confirmations}"
    if added:
        detail += f"; directions added {', '.join(map(str, added))}"
    record_event(
        moderator,
        AuditAction.CONFIRM,
        "camera",
        camera.id,
        CameraStatus.VERIFIED,
        CameraStatus.VERIFIED,
        detail,
        changes=field_changes(before, _camera_facts(camera)),
    )
    sighting.status = SightingStatus.MERGED
    sighting.camera_id = camera.id
    db.session.flush()
    return camera


def _camera_facts(camera: Camera) -> dict:
    """The camera fields a confirmation can change, JSON-safe for the history."""
    return {
        "directions": list(camera.directions or []),
        "first_reported_month": _month_text(camera.first_reported_month),
        "last_confirmed_month": _month_text(camera.last_confirmed_month),
        "confirmations": camera.confirmations,
    }


def _month_text(month) -> str | None:
    return month.strftime("%Y-%m") if month else None


def reopen_sightings(ids: list[int], moderator: User) -> list[Sighting]:
    """Undo a rejection: rejected sightings go back to the queue as pending, each step in the audit log.
    Those no longer rejected (a sweep deleted them, another moderator reopened them) are left alone."""
    reopened = []
    for sighting_id in sorted({int(sighting_id) for sighting_id in ids}):
        sighting = locked(Sighting, sighting_id)
        if sighting is None or sighting.status != SightingStatus.REJECTED:
            continue
        sighting.status = SightingStatus.PENDING
        sighting.reject_reason = None
        record_event(
            moderator,
            AuditAction.REOPEN,
            "sighting",
            sighting.id,
            SightingStatus.REJECTED,
            SightingStatus.PENDING,
            None,
        )
        reopened.append(sighting)
    db.session.flush()
    return reopened


def reject_sighting(sighting_id: int, moderator: User, code: str, text: str | None = None) -> Sighting:
    """Reject a pending sighting with a reason; its photos are deleted (they will never be public)."""
    reason = reject_reason_text(code, text)
    return reject_locked(lock_pending_sighting(sighting_id, moderator), moderator, reason)


def reject_locked(sighting: Sighting, moderator: User, reason: str) -> Sighting:
    """reject_sighting() for a sighting this transaction has locked, with its reason already checked.

    Its photos stay where a pending report's photos are (in the database, never public), so that the
    rejection can be undone; they go with the sighting when `flask maintenance sweep` deletes it
    (REJECTED_RETENTION_DAYS after the rejection)."""
    sighting.status = SightingStatus.REJECTED
    sighting.reject_reason = reason
    record_event(
        moderator,
        AuditAction.REJECT,
        "sighting",
        sighting.id,
        SightingStatus.PENDING,
        SightingStatus.REJECTED,
        reason,
    )
    db.session.flush()
    return sighting
