"""Questions across every loaded network log, read from `search_searcher_counts` (log x searcher x
category; a few thousand rows per log, indexed by category): which agencies ran immigration-related searches
through whose cameras, and who searched a state's cameras from out of state."""

from sqlalchemy import and_, func, select

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches.criteria import IMMIGRATION, categories_for
from webapp.searches.logs import loaded_logs
from webapp.searches.searched_by import immigration_total, search_searcher_counts, total
from webapp.searches.searcher_relations import placed_searchers, profiles_by_owner_state

# Lists are cut here (the CSV holds the same cut; `pairs_total` and `searchers_total` count them all).
LIST_MAX = 500


def network_logs(state: str | None = None) -> dict[int, dict]:
    return {
        log["id"]: log
        for log in loaded_logs()
        if log["kind"] == SearchLogKind.NETWORK and (state is None or log["owner"]["state"] == state)
    }


def counts_by_searcher(
    log_ids: list[int],
    categories: list[str] | None,
    relation: str | None = None,
    owner_state: str | None = None,
) -> list:
    """Searches per (log, searcher), busiest first; only `categories` when given, only the searchers with
    this `relation` to an owner in `owner_state` when given."""
    if not log_ids:
        return []
    c = search_searcher_counts.c
    searches = total(c.searches).label("searches")
    query = (
        select(
            c.log_id, c.searcher_id, searches, immigration_total(c.searches, c.category).label("immigration")
        )
        .where(c.log_id.in_(log_ids))
        .group_by(c.log_id, c.searcher_id)
        .having(func.sum(c.searches) > 0)
        .order_by(searches.desc(), c.log_id, c.searcher_id)
    )
    if categories is not None:
        query = query.where(c.category.in_(categories))
    if relation is not None:
        placed = placed_searchers(owner_state)
        query = query.join(placed, and_(placed.c.searcher_id == c.searcher_id, placed.c.relation == relation))
    return list(db.session.execute(query).mappings())


def _by_searcher(rows: list) -> list[dict]:
    searchers = {}
    for row in rows:
        entry = searchers.setdefault(row["searcher_id"], {"searches": 0, "immigration": 0, "owners": 0})
        entry["searches"] += row["searches"]
        entry["immigration"] += row["immigration"]
        entry["owners"] += 1
    return sorted(
        ({"id": key, **entry} for key, entry in searchers.items()), key=lambda e: (-e["searches"], e["id"])
    )


def _answer(logs: dict, rows: list, **head) -> dict:
    """The busiest LIST_MAX pairs and searchers, with names and relations (looked up for those only)."""
    pairs, searchers = rows[:LIST_MAX], _by_searcher(rows)
    profiles = profiles_by_owner_state(
        [(row["searcher_id"], logs[row["log_id"]]["owner"]["state"]) for row in pairs]
        + [(entry["id"], None) for entry in searchers[:LIST_MAX]]
    )
    return {
        **head,
        "logs": list(logs),
        "searches": sum(row["searches"] for row in rows),
        "pairs_total": len(rows),
        "pairs": [
            {
                "log": row["log_id"],
                "owner": logs[row["log_id"]]["owner"],
                "demo": logs[row["log_id"]]["demo"],
                "searcher": profiles[(row["searcher_id"], logs[row["log_id"]]["owner"]["state"])],
                "searches": row["searches"],
                "immigration": row["immigration"],
            }
            for row in pairs
        ],
        "searchers_total": len(searchers),
        "searchers": [{**profiles[(entry["id"], None)], **entry} for entry in searchers[:LIST_MAX]],
    }


def immigration_searchers(category: str | None = None) -> dict:
    """Every (searcher, owner) pair with immigration-related searches (or one immigration category), the
    busiest first, and the same by searcher (through how many owners' cameras)."""
    logs = network_logs()
    rows = counts_by_searcher(list(logs), categories_for(category or IMMIGRATION))
    return _answer(logs, rows, category=category or IMMIGRATION)


def out_of_state_searchers(state: str) -> dict:
    """Who searched the cameras of the agencies of `state` (their network logs) from another state."""
    logs = network_logs(state)
    rows = counts_by_searcher(list(logs), None, relation="out_of_state", owner_state=state)
    return _answer(logs, rows, state=state)
