"""Who a searcher is, as the answers show it: the text the log wrote (`Org Name`), the agency the matcher or
a moderator linked it to (operator_links, the same decision as for cameras' operators), and its relation to
the owner of the searched cameras: federal, in the owner's state, out of state, or unknown (no agency
linked and no state in the name). A linked agency's kind and state win over what the name says."""

from sqlalchemy import bindparam, text

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import LINKING_OPERATOR_STATES

PROFILES = text(
    """
    SELECT s.id, s.name, s.named_state, s.named_federal,
           a.id AS agency_id, a.name AS agency_name, a.state AS agency_state, a.kind AS agency_kind
    FROM search_searchers AS s
    LEFT JOIN operator_links AS o ON o.operator_key = s.name_key AND o.state IN :linking
    LEFT JOIN agencies AS a ON a.id = o.agency_id
    WHERE s.id IN :ids
    """
).bindparams(bindparam("ids", expanding=True), bindparam("linking", expanding=True))


def relation(profile: dict, owner_state: str | None) -> str:
    if profile["federal"]:
        return "federal"
    if not profile["state"] or not owner_state:
        return "unknown"
    return "in_state" if profile["state"] == owner_state else "out_of_state"


def searcher_profiles(searcher_ids, owner_state: str | None) -> dict[int, dict]:
    """{searcher id: {id, name, agency: {id, name, state} | None, state, federal, relation}}."""
    ids = list(searcher_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        PROFILES, {"ids": ids, "linking": [str(state) for state in LINKING_OPERATOR_STATES]}
    ).mappings()
    profiles = {}
    for row in rows:
        linked = row["agency_id"] is not None
        profile = {
            "id": row["id"],
            "name": row["name"],
            "agency": {"id": row["agency_id"], "name": row["agency_name"], "state": row["agency_state"]}
            if linked
            else None,
            "state": row["agency_state"] if linked else row["named_state"],
            "federal": row["agency_kind"] == "federal" if linked else row["named_federal"],
        }
        profile["relation"] = relation(profile, owner_state)
        profiles[row["id"]] = profile
    return profiles
