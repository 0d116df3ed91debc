"""Who a searcher is, as the answers show it: the text the log wrote (`Org Name`), the agency it is linked
to, and its relation to the owner of the searched cameras. The rule is webapp.searches.searchers'
(RELATION_SQL, LINKED_AGENCY_JOIN); this module applies it to the searchers one answer lists."""

from collections import defaultdict

from sqlalchemy import Boolean, Integer, String, Subquery, text

from webapp.kernel.extensions import db
from webapp.searches.searchers import LINKED_AGENCY_JOIN, RELATION_SQL

# Every searcher's profile as seen from an owner in the state :owner_state.
PROFILED_SEARCHERS = f"""
    SELECT s.id, s.name, linked.id AS agency_id, linked.name AS agency_name, linked.state AS agency_state,
           coalesce(linked.state, s.named_state) AS state,
           coalesce(linked.kind = 'federal', s.named_federal) AS federal,
           {RELATION_SQL} AS relation
    FROM search_searchers AS s
    {LINKED_AGENCY_JOIN}
    CROSS JOIN (SELECT CAST(:owner_state AS text) AS state) AS owner
"""  # noqa: S608 - fixed fragments
PROFILES = text(PROFILED_SEARCHERS + "WHERE s.id = ANY(CAST(:ids AS integer[]))")
PROFILE_COLUMNS = ("name", "agency_id", "agency_name", "agency_state", "state", "federal", "relation")


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


def profiled_searchers(owner_state: str | None) -> Subquery:
    """PROFILED_SEARCHERS for an owner in `owner_state`, as a Core subquery `profiled` (searcher_id and the
    PROFILE_COLUMNS), to join where an answer lists thousands of searchers (no array of their ids to bind)."""
    return (
        text(PROFILED_SEARCHERS)
        .bindparams(owner_state=owner_state)
        .columns(
            id=Integer,
            name=String,
            agency_id=Integer,
            agency_name=String,
            agency_state=String,
            state=String,
            federal=Boolean,
            relation=String,
        )
        .subquery("profiled")
    )


def profile_of(searcher_id: int, row) -> dict:
    """{id, name, agency: {id, name, state} | None, state, federal, relation} from a row with the
    PROFILE_COLUMNS."""
    return {
        "id": searcher_id,
        "name": row["name"],
        "agency": {"id": row["agency_id"], "name": row["agency_name"], "state": row["agency_state"]}
        if row["agency_id"] is not None
        else None,
        "state": row["state"],
        "federal": bool(row["federal"]),
        "relation": row["relation"],
    }


def searcher_profiles(searcher_ids, owner_state: str | None) -> dict[int, dict]:
    """{searcher id: profile_of(its row)}."""
    ids = list(searcher_ids)
    if not ids:
        return {}
    rows = db.session.execute(PROFILES, {"ids": ids, "owner_state": owner_state}).mappings().all()
    return {row["id"]: profile_of(row["id"], row) for row in rows}


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
