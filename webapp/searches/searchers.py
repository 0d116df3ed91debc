"""Searching agencies: each `Org Name` once (`search_searchers`), the agency behind it, and where it stands
from the owner of the log (federal, in the owner's state, out of state).

The agency comes from the agencies matcher (agencies.matching.matcher) through `operator_links`, keyed like a
camera's operator text (`lower(btrim(name))`): a new name gets the matcher's proposal (linked, queued for the
moderators with its candidates, or unmatched), and a moderator's decision about the text, made for cameras or
for searches, holds for both. Until a name is linked, what the name says (its state code, a federal body)
places it.
"""

import json
from collections.abc import Iterable

from sqlalchemy import Integer, String, Subquery, text

from webapp.agencies.matching.matcher import propose
from webapp.agencies.matching.names import parse
from webapp.agencies.matching.operator_matching import load_index
from webapp.kernel.data.audit import record_event
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AgencyKind, AuditAction

# Where a searcher stands from the log's owner: the values of RELATION_SQL.
RELATIONS = ("federal", "in_state", "out_of_state", "unknown")

# SELECT it with `FROM search_searchers s` joined to the owner agency as `owner` (see searcher_places()).
RELATION_SQL = """
    CASE WHEN coalesce(linked.kind = 'federal', s.named_federal) THEN 'federal'
         WHEN coalesce(linked.state, s.named_state) IS NULL OR owner.state IS NULL THEN 'unknown'
         WHEN coalesce(linked.state, s.named_state) = owner.state THEN 'in_state'
         ELSE 'out_of_state' END
"""
# The agency a searcher's name is linked to (NULL columns when none is). Links are per text and cameras'
# state (migration 0015); a searcher has no camera, so its name takes the link for every state ('') where
# there is one, else the text's link in one state (the first by GEOID), so each name joins one row at most.
LINKED_AGENCIES = """
        SELECT DISTINCT ON (l.operator_key) l.operator_key, a.id, a.name, a.state, a.kind
        FROM operator_links l JOIN agencies a ON a.id = l.agency_id
        WHERE operator_link_active(l.state)
        ORDER BY l.operator_key, l.state_geoid <> '', l.state_geoid
"""
LINKED_AGENCY_JOIN = f"""
    LEFT JOIN ({LINKED_AGENCIES}) AS linked ON linked.operator_key = s.name_key
"""


def linked_agencies() -> Subquery:
    """LINKED_AGENCIES as a Core subquery `linked` (operator_key, id, name, state, kind), for a query to
    join on `linked.operator_key = search_searchers.name_key`."""
    return (
        text(LINKED_AGENCIES)
        .columns(operator_key=String, id=Integer, name=String, state=String, kind=String)
        .subquery("linked")
    )


def searcher_places(log_id: int) -> dict[int, dict]:
    """For every searcher in one log's rollups: its name, linked agency (id or None) and relation to the
    owner. A few thousand rows at most: the answers join them in Python or in SQL with the same fragments."""
    rows = db.session.execute(
        text(
            f"""
            SELECT s.id, s.name, linked.id AS agency_id, {RELATION_SQL} AS relation
            FROM search_searchers s
            {LINKED_AGENCY_JOIN}
            CROSS JOIN (SELECT a.state FROM search_logs l JOIN agencies a ON a.id = l.owner_agency_id
                        WHERE l.id = :log_id) AS owner
            WHERE s.id IN (SELECT DISTINCT searcher_id FROM search_counts WHERE log_id = :log_id)
            """  # noqa: S608 - fixed fragments of this module
        ),
        {"log_id": log_id},
    ).all()
    return {row.id: {"name": row.name, "agency_id": row.agency_id, "relation": row.relation} for row in rows}


def named_place(name: str) -> tuple[str | None, bool]:
    """The state a searcher's name names, and whether it names a federal body."""
    parsed = parse(name)
    return parsed.state, parsed.kind == AgencyKind.FEDERAL.value


def clean_name(name: str) -> str:
    """An Org Name as stored: spaces collapsed, cut at the operator text's length."""
    return " ".join(name.split())[:200]


_IDS_OF_NAMES = text(
    """
    SELECT n.name, s.id, s.name_key FROM unnest(CAST(:names AS text[])) AS n(name)
    JOIN search_searchers s ON s.name_key = lower(btrim(n.name))
    """
)


def ensure_searchers(names: Iterable[str]) -> dict[str, int]:
    """The id of each (cleaned) name, creating the missing ones; new names are proposed to the matcher."""
    wanted = sorted({clean_name(name) for name in names})
    known = {row.name: row.id for row in db.session.execute(_IDS_OF_NAMES, {"names": wanted})}
    missing = [name for name in wanted if name not in known]
    if missing:
        places = [named_place(name) for name in missing]
        db.session.execute(
            text(
                """
                INSERT INTO search_searchers (name_key, name, named_state, named_federal)
                SELECT DISTINCT ON (lower(btrim(n))) lower(btrim(n)), n, st, fed
                FROM unnest(CAST(:names AS text[]), CAST(:states AS text[]), CAST(:federal AS boolean[]))
                     AS r(n, st, fed)
                ORDER BY lower(btrim(n)), n
                ON CONFLICT (name_key) DO NOTHING
                """
            ),
            {
                "names": missing,
                "states": [place[0] for place in places],
                "federal": [place[1] for place in places],
            },
        )
        rows = db.session.execute(_IDS_OF_NAMES, {"names": missing}).all()
        known.update({row.name: row.id for row in rows})
        propose_links({row.name_key: row.name for row in rows})
    return known


def propose_links(names_by_key: dict[str, str]) -> int:
    """The matcher's proposal for each searcher name that has no operator link yet, written as one (a text
    already linked, queued or decided is left as it is). One audit event per link written."""
    if not names_by_key:
        return 0
    existing = {
        key
        for (key,) in db.session.execute(
            text(
                "SELECT operator_key FROM operator_links WHERE operator_key = ANY(:keys) AND state_geoid = ''"
            ),
            {"keys": list(names_by_key)},
        )
    }
    todo = {key: name for key, name in names_by_key.items() if key not in existing and key}
    if not todo:
        return 0
    index = load_index()
    keys, operators, states, agency_ids, scores, candidates = [], [], [], [], [], []
    for key, name in todo.items():
        decision = propose(index, name)
        keys.append(key)
        operators.append(name[:200])
        states.append(decision.state.value)
        agency_ids.append(decision.agency_id)
        scores.append(decision.score)
        candidates.append(
            json.dumps([proposal.as_json() for proposal in decision.candidates])
            if decision.candidates
            else None
        )
    rows = db.session.execute(
        text(
            """
            INSERT INTO operator_links (operator_key, operator, state, agency_id, score, candidates)
            SELECT r.key, r.operator, r.state, r.agency_id, r.score, CAST(r.candidates AS jsonb)
            FROM unnest(CAST(:keys AS text[]), CAST(:operators AS text[]), CAST(:states AS text[]),
                        CAST(:agency_ids AS bigint[]), CAST(:scores AS double precision[]),
                        CAST(:candidates AS text[])) AS r(key, operator, state, agency_id, score, candidates)
            ON CONFLICT (operator_key, state_geoid) DO NOTHING
            RETURNING id, operator, state, agency_id
            """
        ),
        {
            "keys": keys,
            "operators": operators,
            "states": states,
            "agency_ids": agency_ids,
            "scores": scores,
            "candidates": candidates,
        },
    ).all()
    for row in rows:
        record_event(
            None,
            AuditAction.MATCH_OPERATOR,
            "operator_link",
            row.id,
            to_status=row.state,
            reason=f"{row.operator} (searching agency) -> agency {row.agency_id}"
            if row.agency_id
            else f"{row.operator} (searching agency)",
        )
    return len(rows)
