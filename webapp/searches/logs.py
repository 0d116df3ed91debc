"""The audit logs that are loaded, as the answers name them: which log of an agency answers a question (its
network log for "who searched its cameras", its organisation log for "what its officers searched"), and the
list /searches shows."""

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.kernel.errors import NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SearchLogKind

LOG_COLUMNS = """
    l.id, l.kind, l.demo, l.rule_version, l.searches, l.first_search_at, l.last_search_at,
    a.id AS owner_id, a.name AS owner_name, a.state AS owner_state, a.kind AS owner_kind
"""


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
        text(
            f"SELECT {LOG_COLUMNS} FROM search_logs AS l JOIN agencies AS a ON a.id = l.owner_agency_id "
            "ORDER BY l.demo, a.name, l.kind"
        )
    ).mappings()
    return [_log(row) for row in rows]


def log_kinds_of(agency_id: int) -> set[str]:
    """The kinds of log loaded for an agency (the agency page links to the answers they allow)."""
    found = db.session.execute(
        text("SELECT kind FROM search_logs WHERE owner_agency_id = :agency"), {"agency": agency_id}
    ).scalars()
    return set(found)


def log_of(agency_id: int, kind: str) -> dict:
    """The agency's log of this kind; NotFound (404) saying what is missing when none is loaded."""
    row = (
        db.session.execute(
            text(
                f"SELECT {LOG_COLUMNS} FROM search_logs AS l JOIN agencies AS a ON a.id = l.owner_agency_id "
                "WHERE l.owner_agency_id = :agency AND l.kind = :kind"
            ),
            {"agency": agency_id, "kind": kind},
        )
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
