"""Who a searcher is, as the answers show it: the text the log wrote (`Org Name`), the agency it is linked
to, and its relation to the owner of the searched cameras. The rule is webapp.searches.searchers'
(RELATION_SQL, LINKED_AGENCY_JOIN); this module applies it to the searchers one answer lists."""

from collections import defaultdict

from sqlalchemy import Integer, String, Subquery, text

from webapp.kernel.extensions import db
from webapp.searches.searchers import LINKED_AGENCY_JOIN, RELATION_SQL

PROFILES = text(
    f"""
    SELECT s.id, s.name, linked.id AS agency_id, linked.name AS agency_name, linked.state AS agency_state,
           coalesce(linked.state, s.named_state) AS state,
           coalesce(linked.kind = 'federal', s.named_federal) AS federal,
           {RELATION_SQL} AS relation
    FROM search_searchers AS s
    {LINKED_AGENCY_JOIN}
    CROSS JOIN (SELECT CAST(:owner_state AS text) AS state) AS owner
    WHERE s.id = ANY(CAST(:ids AS integer[]))
    """  # noqa: S608 - fixed fragments
)


# Every searcher's relation to an owner in the state :owner_state, to join on searcher_id.
PLACED_SEARCHERS = f"""
    SELECT s.id AS searcher_id, {RELATION_SQL} AS relation
    FROM search_searchers AS s
    {LINKED_AGENCY_JOIN}
    CROSS JOIN (SELECT CAST(:owner_state AS text) AS state) AS owner
"""  # noqa: S608 - fixed fragments


def placed_searchers(owner_state: str | None) -> Subquery:
    """PLACED_SEARCHERS for an owner in `owner_state`, as a Core subquery `p` (searcher_id, relation)."""
    return (
        text(PLACED_SEARCHERS)
        .bindparams(owner_state=owner_state)
        .columns(searcher_id=Integer, relation=String)
        .subquery("p")
    )


def searcher_profiles(searcher_ids, owner_state: str | None) -> dict[int, dict]:
    """{searcher id: {id, name, agency: {id, name, state} | None, state, federal, relation}}."""
    ids = list(searcher_ids)
    if not ids:
        return {}
    rows = db.session.execute(PROFILES, {"ids": ids, "owner_state": owner_state}).mappings().all()
    return {
        row["id"]: {
            "id": row["id"],
            "name": row["name"],
            "agency": {"id": row["agency_id"], "name": row["agency_name"], "state": row["agency_state"]}
            if row["agency_id"] is not None
            else None,
            "state": row["state"],
            "federal": bool(row["federal"]),
            "relation": row["relation"],
        }
        for row in rows
    }


def profiles_by_owner_state(pairs: list[tuple[int, str | None]]) -> dict[tuple[int, str | None], dict]:
    """Profiles of (searcher id, owner state) pairs: one query per owner state."""
    by_state = defaultdict(set)
    for searcher_id, state in pairs:
        by_state[state].add(searcher_id)
    found = {}
    for state, ids in by_state.items():
        for searcher_id, profile in searcher_profiles(ids, state).items():
            found[(searcher_id, state)] = profile
    return found
