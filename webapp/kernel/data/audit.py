"""The audit log: every moderator, admin and system action appends one event (who, when, action, target,
from/to state, reason, and the fields it changed from -> to). The table is append-only (a database trigger
refuses UPDATE and DELETE), so the history of a camera or a sighting can be reviewed, and a correction
reverted, later.

Public actions (a flag arriving, the photos it hid) are not events: they keep their day only, on the flag
row, and the histories show them from there (PublicAction), so that no stored time says when a member of
the public acted.
"""

from dataclasses import dataclass
from datetime import UTC, date

from sqlalchemy import or_, select

from webapp.kernel.data.models import Flag, ModerationEvent, Sighting, User
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AuditAction


@dataclass(frozen=True)
class FieldChange:
    """One field an action changed: what it was and what it became (JSON-safe values)."""

    field: str
    before: object
    after: object

    def as_json(self) -> dict:
        return {"field": self.field, "from": self.before, "to": self.after}


def field_changes(before: dict, after: dict) -> list[FieldChange]:
    """The fields whose values differ between two snapshots, in the order of `after`."""
    return [
        FieldChange(name, before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value
    ]


def record_event(
    actor: User | None,
    action: AuditAction,
    target_type: str,
    target_id: int,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    changes: list[FieldChange] | None = None,
) -> ModerationEvent:
    """Append an event in the current transaction; actor None means the system or the command line."""
    event = ModerationEvent(
        actor_id=actor.id if actor is not None else None,
        action=AuditAction(action),  # ValueError for an action the vocabulary does not name
        target_type=target_type,
        target_id=target_id,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changes=[change.as_json() for change in changes] if changes else None,
    )
    db.session.add(event)
    return event


@dataclass(frozen=True)
class PublicAction:
    """A public action in a history, known to the day: shaped like a ModerationEvent for the templates."""

    day: date
    action: str
    target_type: str
    target_id: int
    to_status: str | None = None
    reason: str | None = None
    actor = None
    from_status = None

    @property
    def when_text(self) -> str:
        return self.day.isoformat()

    def sort_key(self) -> tuple:
        # Within its day a public action comes first: all the history knows is that it came that day.
        return (self.day, 0, self.day, self.target_id)


def _event_sort_key(event: ModerationEvent) -> tuple:
    return (event.created_at.astimezone(UTC).date(), 1, event.created_at, event.id)


def flag_actions(flags: list[Flag]) -> list[PublicAction]:
    """The public actions the flags stand for: each flag's arrival, and the photos it hid."""
    actions = []
    for flag in flags:
        actions.append(PublicAction(flag.flagged_on, "flag", "flag", flag.id, "open", flag.reason))
        if flag.hid_photos:
            reason = f"flag {flag.id}: {flag.reason}"
            actions.append(
                PublicAction(flag.flagged_on, "hide_photos", "camera", flag.camera_id, None, reason)
            )
    return actions


def events_for(target_type: str, target_id: int) -> list[ModerationEvent]:
    query = (
        select(ModerationEvent)
        .where(ModerationEvent.target_type == target_type, ModerationEvent.target_id == target_id)
        .order_by(ModerationEvent.created_at, ModerationEvent.id)
    )
    return list(db.session.scalars(query))


def camera_history(camera_id: int) -> list[ModerationEvent | PublicAction]:
    """The camera's own events, those of every sighting verified or merged into it, and of its flags, with
    the flags' arrivals (to the day) among them."""
    sighting_ids = select(Sighting.id).where(Sighting.camera_id == camera_id).scalar_subquery()
    flag_ids = select(Flag.id).where(Flag.camera_id == camera_id).scalar_subquery()
    query = (
        select(ModerationEvent)
        .where(
            or_(
                (ModerationEvent.target_type == "camera") & (ModerationEvent.target_id == camera_id),
                (ModerationEvent.target_type == "sighting") & ModerationEvent.target_id.in_(sighting_ids),
                (ModerationEvent.target_type == "flag") & ModerationEvent.target_id.in_(flag_ids),
            )
        )
        .order_by(ModerationEvent.created_at, ModerationEvent.id)
    )
    events = list(db.session.scalars(query))
    flags = list(db.session.scalars(select(Flag).where(Flag.camera_id == camera_id).order_by(Flag.id)))
    entries: list[ModerationEvent | PublicAction] = [*events, *flag_actions(flags)]
    return sorted(entries, key=_history_order)


def _history_order(entry: ModerationEvent | PublicAction) -> tuple:
    return entry.sort_key() if isinstance(entry, PublicAction) else _event_sort_key(entry)
