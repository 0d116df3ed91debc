"""Flags: anyone may flag a public camera; moderators resolve or dismiss the flag, both logged.

A "personal information" flag goes to the top of the moderators' flag queue and is counted in their menu at
once. The camera's photos are hidden when a second such flag is open from another client (a client is
recognised for a day at most, by its rate-limit key, never stored in the database), until no such flag is
open any more: one person cannot blank photos site-wide, and two independent reports act before a moderator
does. Functions flush; the route commits.

A flag is a public action: it keeps its day only, and writes nothing with a time. Its record is the flag
row itself (reason, text, day, whether it hid the photos), not an event in the moderation log, whose
times, and whose ids interleaved with moderators' timed events, would say when it came.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp.kernel.data.audit import record_event
from webapp.kernel.data.models import Camera, Flag, User
from webapp.kernel.errors import AlreadyHandled, InvalidField, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.http.ratelimit import first_time
from webapp.kernel.http.text_input import refuse_control_characters
from webapp.kernel.vocabulary import (
    FLAG_REASON_LABELS,
    AuditAction,
    CameraStatus,
    FlagReason,
    FlagStatus,
    Limits,
)

FLAG_PAGE_SIZE = 100
CLOSING = {AuditAction.RESOLVE: FlagStatus.RESOLVED, AuditAction.DISMISS: FlagStatus.DISMISSED}


# Open "personal information" flags, from more than one client, that hide a camera's photos.
FLAGS_TO_HIDE_PHOTOS = 2


def flag_camera(camera_id: int, reason: str, text: str | None, client: str | None = None) -> Flag:
    """Record a public flag; nothing about the person flagging is kept. `client` is the flagging request's
    rate-limit key (webapp.kernel.http.ratelimit.client_key), used only to tell a second client from the
    first."""
    if reason not in FLAG_REASON_LABELS:
        raise InvalidField("reason", _("Choose what is wrong with this camera."))
    text = (text or "").strip() or None
    refuse_control_characters(text, "text")
    if reason == FlagReason.OTHER and not text:
        raise InvalidField("text", _('Say in a few words what is wrong when you choose "something else".'))
    if text and len(text) > Limits.FLAG_TEXT_CHARS:
        raise InvalidField(
            "text", _("The text is too long (at most %(count)s characters).", count=Limits.FLAG_TEXT_CHARS)
        )
    camera = db.session.scalar(select(Camera).where(Camera.id == camera_id).with_for_update())
    if camera is None or camera.status != CameraStatus.VERIFIED:
        raise NotFound(_("There is no public camera with this number."))
    flag = Flag(camera_id=camera.id, reason=reason, text=text)
    db.session.add(flag)
    db.session.flush()
    if reason == FlagReason.PERSONAL_INFORMATION and not camera.photos_hidden:
        _hide_photos_on_a_second_client(camera, flag, client)
    return flag


def _hide_photos_on_a_second_client(camera: Camera, flag: Flag, client: str | None) -> None:
    new_client = client is None or first_time(f"personal-information-flag/{camera.id}", client)
    if not new_client:
        return
    open_flags = count_open_personal_information_flags(camera.id)
    if open_flags >= FLAGS_TO_HIDE_PHOTOS:
        camera.photos_hidden = True
        # The camera's updated_at would otherwise take the flag's exact time: it keeps its own.
        camera.updated_at = Camera.__table__.c.updated_at
        flag.hid_photos = True


def count_open_personal_information_flags(camera_id: int | None = None) -> int:
    """Open "personal information" flags (of one camera, or of all: the count moderators see in the menu)."""
    query = select(func.count(Flag.id)).where(
        Flag.reason == FlagReason.PERSONAL_INFORMATION, Flag.status == FlagStatus.OPEN
    )
    if camera_id is not None:
        query = query.where(Flag.camera_id == camera_id)
    return db.session.scalar(query)


def open_flags(limit: int = FLAG_PAGE_SIZE) -> list[Flag]:
    """Open "personal information" flags first, then the others; the oldest first within each (a flood of
    spam flags cannot hide the older ones)."""
    query = (
        select(Flag)
        .where(Flag.status == FlagStatus.OPEN)
        .options(selectinload(Flag.camera))
        .order_by((Flag.reason != FlagReason.PERSONAL_INFORMATION), Flag.flagged_on, Flag.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def count_open_flags() -> int:
    return db.session.scalar(select(func.count(Flag.id)).where(Flag.status == FlagStatus.OPEN))


def close_flag(flag_id: int, moderator: User, decision: str, note: str | None = None) -> Flag:
    """Resolve (the flag was right and has been acted on) or dismiss (it was not) an open flag.

    When the last open "personal information" flag of a camera closes, its photos show again: a moderator
    who agreed with the flag drops the photos (or hides the camera) before resolving it.
    """
    to_status = CLOSING[decision]
    note = (note or "").strip() or None
    refuse_control_characters(note, "note")
    if note and len(note) > Limits.REASON_CHARS:
        raise InvalidField(
            "note", _("The note is too long (at most %(count)s characters).", count=Limits.REASON_CHARS)
        )
    flag = db.session.scalar(
        select(Flag).where(Flag.id == flag_id).with_for_update().execution_options(populate_existing=True)
    )
    if flag is None:
        raise NotFound(_("No such flag."))
    if flag.status != FlagStatus.OPEN:
        raise AlreadyHandled(_("This flag was already handled (it is %(status)s).", status=flag.status))
    camera = db.session.scalar(
        select(Camera)
        .where(Camera.id == flag.camera_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    flag.status = to_status
    record_event(moderator, AuditAction(decision), "flag", flag.id, FlagStatus.OPEN, to_status, note)
    if flag.reason == FlagReason.PERSONAL_INFORMATION and camera.photos_hidden:
        still_open = db.session.scalar(
            select(func.count(Flag.id)).where(
                Flag.camera_id == camera.id,
                Flag.reason == FlagReason.PERSONAL_INFORMATION,
                Flag.status == FlagStatus.OPEN,
                Flag.id != flag.id,
            )
        )
        if not still_open:
            camera.photos_hidden = False
            record_event(
                moderator, AuditAction.SHOW_PHOTOS, "camera", camera.id, reason=f"flag {flag.id} {to_status}"
            )
    db.session.flush()
    return flag
