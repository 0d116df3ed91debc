"""The moderators' queue of operator texts the matcher was not sure of, and their decisions: confirm a
candidate, pick another agency, create one and link, or say no agency fits. Each decision is one audit event
(target operator_link, the agency from -> to); the matcher never changes a decided link again."""

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import select, text

from webapp.agencies.moderation.agency_edits import AgencyFields, create_agency
from webapp.agencies.us_states import state_of_geoid
from webapp.kernel.data.audit import FieldChange, record_event
from webapp.kernel.data.models import Agency, OperatorLink, User
from webapp.kernel.data.row_locks import locked, refuse_stale_edit
from webapp.kernel.errors import InvalidField, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AuditAction, OperatorLinkState

QUEUE_ROWS = 50


@dataclass(frozen=True)
class QueuedText:
    link: OperatorLink
    cameras: int
    state: str | None  # the USPS code of the state its cameras stand in (a text is decided per state)


def queued_texts(limit: int = QUEUE_ROWS) -> tuple[list[QueuedText], int]:
    """The queued operator texts (one per state) with the most cameras first, and how many are queued."""
    rows = db.session.execute(
        text(
            """
            SELECT q.id, count(c.id) AS cameras, count(*) OVER () AS queued
            FROM operator_links AS q
            LEFT JOIN cameras AS c ON lower(btrim(c.operator)) = q.operator_key
                                  AND coalesce(c.state_geoid, '') = q.state_geoid
            WHERE q.state = 'queued'
            GROUP BY q.id ORDER BY cameras DESC, min(q.operator_key), q.id LIMIT :limit
            """
        ),
        {"limit": limit},
    ).all()
    links = {
        link.id: link
        for link in db.session.scalars(
            select(OperatorLink).where(OperatorLink.id.in_([row.id for row in rows]))
        )
    }
    items = [
        QueuedText(links[row.id], row.cameras, state_of_geoid(links[row.id].state_geoid or None))
        for row in rows
    ]
    return items, rows[0].queued if rows else 0


def lock_link(link_id: int, seen_version: int) -> OperatorLink:
    link = locked(OperatorLink, link_id)
    if link is None:
        raise NotFound(_("No such operator text."))
    refuse_stale_edit(
        link,
        seen_version,
        lambda: (
            _(
                "“%(operator)s” was decided or matched again while you looked at it (it is %(state)s now). "
                "Nothing was saved: reload the queue.",
                operator=link.operator,
                state=link.state,
            ),
            {"current": link_state(link)},
        ),
    )
    return link


def link_state(link: OperatorLink) -> dict:
    return {
        "id": link.id,
        "operator": link.operator,
        "cameras_state": state_of_geoid(link.state_geoid or None),
        "state": link.state,
        "agency_id": link.agency_id,
        "score": link.score,
        "candidates": link.candidates or [],
        "version": link.version,
    }


def _decide(
    link: OperatorLink, moderator: User, state: OperatorLinkState, agency: Agency | None, action: str
):
    before_state, before_agency = link.state, link.agency_id
    link.state, link.agency_id, link.decided_by_user_id = (
        state.value,
        agency.id if agency else None,
        moderator.id,
    )
    db.session.flush()
    record_event(
        moderator,
        action,
        "operator_link",
        link.id,
        from_status=before_state,
        to_status=link.state,
        reason=link.operator,
        changes=[FieldChange("agency_id", before_agency, link.agency_id)],
    )
    return link


def link_to_agency(link_id: int, moderator: User, agency_id, seen_version: int) -> OperatorLink:
    """Confirm a candidate, or pick any other agency: the text's cameras are that agency's from now on."""
    try:
        agency = db.session.get(Agency, int(agency_id))
    except (TypeError, ValueError):
        agency = None
    if agency is None:
        raise InvalidField(
            "agency_id", _("Choose an agency."), "missing_field" if not agency_id else "invalid_field"
        )
    link = lock_link(link_id, seen_version)
    return _decide(link, moderator, OperatorLinkState.CONFIRMED, agency, AuditAction.CONFIRM_OPERATOR)


def create_agency_and_link(link_id: int, moderator: User, fields: AgencyFields, seen_version: int):
    link = lock_link(link_id, seen_version)
    # The operator text is an alias of the new agency, so the matcher finds it for the same text elsewhere.
    agency = create_agency(moderator, replace(fields, aliases=(*fields.aliases, link.operator)))
    return _decide(link, moderator, OperatorLinkState.CONFIRMED, agency, AuditAction.CONFIRM_OPERATOR)


def no_agency_fits(link_id: int, moderator: User, seen_version: int) -> OperatorLink:
    link = lock_link(link_id, seen_version)
    return _decide(link, moderator, OperatorLinkState.UNMATCHED, None, AuditAction.UNMATCH_OPERATOR)
