"""The moderation log: every moderator action appends one event (who, when, action, target, from/to state,
reason). The table is append-only (a database trigger refuses UPDATE and DELETE)."""

from sqlalchemy import or_, select

from webapp.extensions import db
from webapp.models import Flag, ModerationEvent, Sighting, User


def record_event(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
) -> ModerationEvent:
    """Append an event in the current transaction; actor None means the system or the command line."""
    event = ModerationEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    db.session.add(event)
    return event


def events_for(target_type: str, target_id: int) -> list[ModerationEvent]:
    query = (
        select(ModerationEvent)
        .where(ModerationEvent.target_type == target_type, ModerationEvent.target_id == target_id)
        .order_by(ModerationEvent.created_at, ModerationEvent.id)
    )
    return list(db.session.scalars(query))


def camera_history(camera_id: int) -> list[ModerationEvent]:
    """The camera's own events, those of every sighting verified or merged into it, and of its flags."""
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
    return list(db.session.scalars(query))
