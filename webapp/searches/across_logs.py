"""Questions across every loaded network log, read from `search_searcher_counts` (log x searcher x
category; a few thousand rows per log, indexed by category): which agencies ran immigration-related searches
through whose cameras, and who searched a state's cameras from out of state."""

from sqlalchemy import bindparam, text

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches.filters import IMMIGRATION, categories_for
from webapp.searches.logs import loaded_logs
from webapp.searches.searcher_relations import profiles_by_owner_state, searcher_profiles

# Lists are cut here (the CSV holds the same cut; `pairs_total` and `searchers_total` count them all).
LIST_MAX = 500


def network_logs(state: str | None = None) -> dict[int, dict]:
    return {
        log["id"]: log
        for log in loaded_logs()
        if log["kind"] == SearchLogKind.NETWORK and (state is None or log["owner"]["state"] == state)
    }


def counts_by_searcher(log_ids: list[int], categories: list[str] | None) -> list:
    if not log_ids:
        return []
    where = " AND c.category IN :categories" if categories is not None else ""
    immigration = categories_for(IMMIGRATION)
    query = text(
        "SELECT c.log_id, c.searcher_id, sum(c.searches)::bigint AS searches, "
        "sum(c.searches) FILTER (WHERE c.category IN :immigration)::bigint AS immigration "
        f"FROM search_searcher_counts AS c WHERE c.log_id IN :logs{where} "
        "GROUP BY c.log_id, c.searcher_id HAVING sum(c.searches) > 0"
    ).bindparams(bindparam("logs", expanding=True), bindparam("immigration", expanding=True))
    params = {"logs": log_ids, "immigration": immigration}
    if categories is not None:
        query = query.bindparams(bindparam("categories", expanding=True))
        params["categories"] = categories
    return list(db.session.execute(query, params).mappings())


def _by_searcher(pairs: list[dict]) -> list[dict]:
    searchers = {}
    for pair in pairs:
        entry = searchers.setdefault(
            pair["searcher"]["id"], {**pair["searcher"], "searches": 0, "immigration": 0, "owners": 0}
        )
        entry["searches"] += pair["searches"]
        entry["immigration"] += pair["immigration"] or 0
        entry["owners"] += 1
    return sorted(searchers.values(), key=lambda entry: (-entry["searches"], entry["name"]))


def immigration_searchers(category: str | None = None) -> dict:
    """Every (searcher, owner) pair with immigration-related searches (or one immigration category), the
    busiest first, and the same by searcher (through how many owners' cameras)."""
    logs = network_logs()
    rows = counts_by_searcher(list(logs), categories_for(category or IMMIGRATION))
    profiles = profiles_by_owner_state(
        [(row["searcher_id"], logs[row["log_id"]]["owner"]["state"]) for row in rows]
    )
    pairs = []
    for row in rows:
        log = logs[row["log_id"]]
        searcher = profiles[(row["searcher_id"], log["owner"]["state"])]
        pairs.append(
            {"log": log["id"], "owner": log["owner"], "demo": log["demo"], "searcher": searcher, **row}
        )
    pairs.sort(key=lambda pair: (-pair["searches"], pair["searcher"]["name"], pair["owner"]["name"]))
    searchers = _by_searcher(pairs)
    return {
        "category": category or IMMIGRATION,
        "logs": list(logs),
        "searches": sum(pair["searches"] for pair in pairs),
        "pairs_total": len(pairs),
        "pairs": pairs[:LIST_MAX],
        "searchers_total": len(searchers),
        "searchers": searchers[:LIST_MAX],
    }


def out_of_state_searchers(state: str) -> dict:
    """Who searched the cameras of the agencies of `state` (their network logs) from another state."""
    logs = network_logs(state)
    rows = counts_by_searcher(list(logs), None)
    profiles = searcher_profiles({row["searcher_id"] for row in rows}, state)
    pairs = [
        {
            "log": row["log_id"],
            "owner": logs[row["log_id"]]["owner"],
            "demo": logs[row["log_id"]]["demo"],
            "searcher": profiles[row["searcher_id"]],
            **row,
        }
        for row in rows
        if profiles[row["searcher_id"]]["relation"] == "out_of_state"
    ]
    pairs.sort(key=lambda pair: (-pair["searches"], pair["searcher"]["name"], pair["owner"]["name"]))
    searchers = _by_searcher(pairs)
    return {
        "state": state,
        "logs": list(logs),
        "searches": sum(pair["searches"] for pair in pairs),
        "all_searches": sum(row["searches"] for row in rows),
        "pairs_total": len(pairs),
        "pairs": pairs[:LIST_MAX],
        "searchers_total": len(searchers),
        "searchers": searchers[:LIST_MAX],
    }
