"""Sharing relations a moderator records: add one (with a source, always), correct its source or date, or
retire it (it is no longer true, per a source; the row keeps its dates). Nothing is deleted; each change is
one audit event with its fields from -> to. A stale edit (another change since the form was loaded) is 409."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.kernel.data.audit import field_changes, record_event
from webapp.kernel.data.models import Agency, AgencySharing, User
from webapp.kernel.data.row_locks import locked, refuse_stale_edit
from webapp.kernel.errors import AlreadyHandled, InvalidField, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AuditAction, Limits, RecordedBy


def source_text(raw, field: str = "source") -> str:
    """A relation's source: a URL or a document's citation, required."""
    value = " ".join(str(raw or "").split())
    if not value:
        raise InvalidField(field, _("Give the source: a URL or a document that shows it."), "missing_field")
    if len(value) > Limits.SOURCE_CHARS:
        raise InvalidField(field, _("The source is too long."))
    return value


def day(raw, field: str) -> date:
    """A date as YYYY-MM-DD, not in the future."""
    try:
        value = raw if isinstance(raw, date) else date.fromisoformat(str(raw or "").strip())
    except ValueError as error:
        raise InvalidField(
            field, _("Give the date as YYYY-MM-DD."), "missing_field" if not raw else "invalid_field"
        ) from error
    if value > date.today():
        raise InvalidField(field, _("The date cannot be in the future."))
    return value


def _snapshot(relation: AgencySharing) -> dict:
    return {
        "from_agency_id": relation.from_agency_id,
        "to_agency_id": relation.to_agency_id,
        "source": relation.source,
        "seen_on": relation.seen_on.isoformat(),
        "retired_on": relation.retired_on.isoformat() if relation.retired_on else None,
        "retired_source": relation.retired_source,
    }


def _agency(agency_id, field: str) -> Agency:
    try:
        agency = db.session.get(Agency, int(agency_id))
    except (TypeError, ValueError):
        agency = None
    if agency is None:
        raise InvalidField(field, _("No such agency."))
    return agency


def add_relation(moderator: User, from_agency_id, to_agency_id, source, seen_on) -> AgencySharing:
    giver, receiver = _agency(from_agency_id, "from_agency_id"), _agency(to_agency_id, "to_agency_id")
    if giver.id == receiver.id:
        raise InvalidField("to_agency_id", _("An agency does not share with itself."))
    current = db.session.scalar(
        select(AgencySharing).where(
            AgencySharing.from_agency_id == giver.id,
            AgencySharing.to_agency_id == receiver.id,
            AgencySharing.data_source_id.is_(None),
            AgencySharing.retired_on.is_(None),
        )
    )
    if current is not None:
        raise AlreadyHandled(_("A moderator already recorded this relation: correct that one instead."))
    relation = AgencySharing(
        from_agency_id=giver.id,
        to_agency_id=receiver.id,
        source=source_text(source),
        seen_on=day(seen_on, "seen_on"),
        recorded_by=RecordedBy.MODERATOR.value,
        recorded_by_user_id=moderator.id,
    )
    db.session.add(relation)
    db.session.flush()
    changes = field_changes({}, _snapshot(relation))
    record_event(
        moderator, AuditAction.ADD_SHARING, "sharing", relation.id, to_status="current", changes=changes
    )
    return relation


def lock_relation(relation_id: int, seen_version: int) -> AgencySharing:
    relation = locked(AgencySharing, relation_id)
    if relation is None:
        raise NotFound(_("No such sharing relation."))
    refuse_stale_edit(
        relation,
        seen_version,
        lambda: (
            _(
                "This relation changed while you were editing it (version %(seen)s, now %(now)s). Nothing "
                "was saved: reload the page.",
                seen=seen_version,
                now=relation.version,
            ),
            {"current": {"version": relation.version, **_snapshot(relation)}},
        ),
    )
    if relation.retired_on is not None:
        raise AlreadyHandled(_("This relation is retired; its record stays as it is."))
    return relation


def correct_relation(relation_id: int, moderator: User, seen_version: int, source, seen_on, reason=None):
    relation = lock_relation(relation_id, seen_version)
    before = _snapshot(relation)
    relation.source, relation.seen_on = source_text(source), day(seen_on, "seen_on")
    changes = field_changes(before, _snapshot(relation))
    if changes:
        db.session.flush()
        record_event(
            moderator, AuditAction.CORRECT_SHARING, "sharing", relation.id, reason=reason, changes=changes
        )
    return relation


def retire_relation(relation_id: int, moderator: User, seen_version: int, retired_on, source, reason=None):
    relation = lock_relation(relation_id, seen_version)
    before = _snapshot(relation)
    retired = day(retired_on, "retired_on")
    if retired < relation.seen_on:
        raise InvalidField("retired_on", _("A relation is retired on or after the day it was seen."))
    relation.retired_on, relation.retired_source = retired, source_text(source)
    db.session.flush()
    changes = field_changes(before, _snapshot(relation))
    record_event(
        moderator,
        AuditAction.RETIRE_SHARING,
        "sharing",
        relation.id,
        "current",
        "retired",
        reason,
        changes=changes,
    )
    return relation


def relations_of(agency_id: int) -> dict[str, list[AgencySharing]]:
    """Every relation the agency gives or receives, current and retired (for the moderator's page)."""
    gives = select(AgencySharing).where(AgencySharing.from_agency_id == agency_id)
    receives = select(AgencySharing).where(AgencySharing.to_agency_id == agency_id)
    order = (AgencySharing.retired_on.is_not(None), AgencySharing.seen_on.desc(), AgencySharing.id)
    return {
        "gives": list(db.session.scalars(gives.order_by(*order).limit(500))),
        "receives": list(db.session.scalars(receives.order_by(*order).limit(500))),
    }
