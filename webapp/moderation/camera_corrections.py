"""Correcting a camera already on the map: its position, vendor, directions, mount and operator. The
moderator's edit is checked against the version they saw (a stale edit is a 409 that says what changed
meanwhile), each changed field is recorded from -> to and becomes the moderators' (a re-import from
OpenStreetMap leaves it alone), and open flags of the camera may be resolved by it. Density, tiles and area
counts follow the UPDATE by themselves (database triggers)."""

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.camera_fields.rules import CameraFields
from webapp.flags.service import close_flag
from webapp.kernel.data.audit import field_changes, record_event
from webapp.kernel.data.models import Camera, Flag, User
from webapp.kernel.data.row_locks import refuse_stale_edit
from webapp.kernel.errors import AlreadyHandled, InvalidField, InvalidInput
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AuditAction, CameraStatus, FlagStatus
from webapp.moderation.camera_facts import (
    apply_fields,
    changes_text,
    fields_of_camera,
    fields_snapshot,
    owned_fields_of,
)
from webapp.moderation.locks import lock_camera
from webapp.moderation.reasons import optional_reason


def current_state(camera: Camera) -> dict:
    """What a moderator's form or a script starts a correction from."""
    return {
        "camera": camera.id,
        "version": camera.version,
        "status": camera.status,
        "fields": fields_snapshot(fields_of_camera(camera)),
        "moderated_fields": list(camera.moderated_fields),
        "osm": f"{camera.osm_type}/{camera.osm_id}" if camera.osm_type else None,
    }


def check_version(camera: Camera, seen_version: int, seen: CameraFields | None) -> None:
    """AlreadyHandled (409) when the camera changed since the moderator loaded it, saying what changed."""

    def explain() -> tuple[str, dict]:
        current = fields_snapshot(fields_of_camera(camera))
        changed = field_changes(fields_snapshot(seen), current) if seen is not None else []
        what = changes_text(changed) if changed else _("its status, confirmations or history")
        message = _(
            "Camera %(id)s changed while you were editing it (version %(seen)s, now %(now)s): %(what)s. "
            "Nothing was saved: reload the page and correct again from the current values.",
            id=camera.id,
            seen=seen_version,
            now=camera.version,
            what=what,
        )
        return message, {
            "current": current_state(camera),
            "changed": [change.as_json() for change in changed],
        }

    refuse_stale_edit(camera, seen_version, explain)


def correct_camera(
    camera_id: int,
    moderator: User,
    fields: CameraFields,
    seen_version: int,
    seen: CameraFields | None = None,
    resolve_flag_ids: list[int] | None = None,
    reason: str | None = None,
) -> Camera:
    """Apply a moderator's corrected fields to a verified or hidden camera (the route commits)."""
    reason = optional_reason(reason)
    camera = lock_camera(camera_id)
    if camera.status == CameraStatus.REMOVED:
        raise AlreadyHandled(_("Camera %(id)s is removed: make it public again first.", id=camera.id))
    check_version(camera, seen_version, seen)
    changes = field_changes(fields_snapshot(fields_of_camera(camera)), fields_snapshot(fields))
    if not changes:
        raise InvalidInput(_("Nothing to correct: every field is as it was."))
    flags = _open_flags_of(camera, resolve_flag_ids or [])
    apply_fields(camera, fields)
    camera.moderated_fields = sorted({*camera.moderated_fields, *owned_fields_of(changes)})
    record_event(
        moderator, AuditAction.CORRECT, "camera", camera.id, camera.status, camera.status, reason, changes
    )
    # Flushed before the flags lock the camera again (a lock re-reads the row and would drop unflushed edits).
    db.session.flush()
    for flag in flags:
        close_flag(flag.id, moderator, "resolve", _("Corrected: %(what)s", what=changes_text(changes))[:500])
    return camera


def _open_flags_of(camera: Camera, flag_ids: list[int]) -> list[Flag]:
    if not flag_ids:
        return []
    flags = list(db.session.scalars(select(Flag).where(Flag.id.in_(flag_ids)).order_by(Flag.id)))
    if {flag.id for flag in flags} != set(flag_ids) or any(flag.camera_id != camera.id for flag in flags):
        raise InvalidField(
            "resolve_flags", _("Only this camera's own flags can be resolved by its correction.")
        )
    for flag in flags:
        if flag.status != FlagStatus.OPEN:
            raise AlreadyHandled(_("Flag %(id)s was already handled.", id=flag.id))
    return flags


def open_flags_of(camera_id: int) -> list[Flag]:
    """The camera's open flags, oldest first (the correction form offers to resolve them)."""
    query = (
        select(Flag)
        .where(Flag.camera_id == camera_id, Flag.status == FlagStatus.OPEN)
        .order_by(Flag.flagged_on, Flag.id)
        .limit(50)
    )
    return list(db.session.scalars(query))
