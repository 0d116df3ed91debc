"""The audit logs that are loaded, as the answers name them: which log of an agency answers a question (its
network log for "who searched its cameras", its organisation log for "what its officers searched"), and the
list /searches shows."""

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.kernel.data.models import Agency, SearchLog
from webapp.kernel.errors import NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SearchLogKind

search_logs = SearchLog.__table__
agencies = Agency.__table__

# A log with its owner, as _log reads it.
LOGS = select(
    search_logs.c.id,
    search_logs.c.kind,
    search_logs.c.demo,
    search_logs.c.rule_version,
    search_logs.c.searches,
    search_logs.c.first_search_at,
    search_logs.c.last_search_at,
    agencies.c.id.label("owner_id"),
    agencies.c.name.label("owner_name"),
    agencies.c.state.label("owner_state"),
    agencies.c.kind.label("owner_kind"),
).join_from(search_logs, agencies, agencies.c.id == search_logs.c.owner_agency_id)


def _log(row) -> dict:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "demo": row["demo"],
        "rule_version": row["rule_version"],
        "searches": row["searches"],
        "first_day": row["first_search_at"].date().isoformat() if row["first_search_at"] else None,
        "last_day": row["last_search_at"].date().isoformat() if row["last_search_at"] else None,
        "owner": {
            "id": row["owner_id"],
            "name": row["owner_name"],
            "state": row["owner_state"],
            "federal": row["owner_kind"] == "federal",
        },
    }


def loaded_logs() -> list[dict]:
    rows = db.session.execute(
        LOGS.order_by(search_logs.c.demo, agencies.c.name, search_logs.c.kind)
    ).mappings()
    return [_log(row) for row in rows]


def log_kinds_of(agency_id: int) -> set[str]:
    """The kinds of log loaded for an agency (the agency page links to the answers they allow)."""
    found = db.session.execute(
        select(search_logs.c.kind).where(search_logs.c.owner_agency_id == agency_id)
    ).scalars()
    return set(found)


def log_of(agency_id: int, kind: str) -> dict:
    """The agency's log of this kind; NotFound (404) saying what is missing when none is loaded."""
    row = (
        db.session.execute(LOGS.where(search_logs.c.owner_agency_id == agency_id, search_logs.c.kind == kind))
        .mappings()
        .first()
    )
    if row is None:
        if kind == SearchLogKind.NETWORK:
            message = _(
                "No network audit log of this agency is loaded: nobody can say here who searched its cameras."
            )
        else:
            message = _("No organisation audit log of this agency is loaded.")
        raise NotFound(message)
    return _log(row)
