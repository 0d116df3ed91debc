"""Policy against practice, from the loaded network logs and the agencies' published data:
- owners whose latest published policy (agency_policies, read from their transparency portal) prohibits
  immigration enforcement, whose cameras were searched with immigration-related reasons;
- searchers that are not among the owner's listed receivers in the sharing data (only for owners whose
  sharing list is known; searchers not linked to an agency cannot be told apart and are counted aside)."""

from sqlalchemy import bindparam, func, select, text

from webapp.kernel.data.models import SearchSearcher
from webapp.kernel.extensions import db
from webapp.searches.across_logs import LIST_MAX, counts_by_searcher, network_logs
from webapp.searches.criteria import IMMIGRATION, categories_for
from webapp.searches.searched_by import immigration_total, search_searcher_counts, total
from webapp.searches.searcher_relations import searcher_profiles
from webapp.searches.searchers import linked_agencies

search_searchers = SearchSearcher.__table__

LATEST_POLICIES = text(
    """
    SELECT DISTINCT ON (p.agency_id) p.agency_id, p.accessed_on, p.url, p.prohibited_uses,
           p.prohibits_immigration_enforcement, d.title, d.attribution
    FROM agency_policies AS p JOIN data_sources AS d ON d.id = p.data_source_id
    WHERE p.agency_id IN :owners
    ORDER BY p.agency_id, p.accessed_on DESC, p.id DESC
    """
).bindparams(bindparam("owners", expanding=True))

RECEIVERS = text(
    "SELECT from_agency_id, array_agg(to_agency_id) AS receivers FROM agency_sharing "
    "WHERE from_agency_id IN :owners AND retired_on IS NULL GROUP BY from_agency_id"
).bindparams(bindparam("owners", expanding=True))


def _ranked(entries: list[dict]) -> list[dict]:
    return sorted(entries, key=lambda entry: (-entry["searches"], entry["name"]))


def _listed(rows: list) -> list[dict]:
    """The rows (busiest first), each marked `listed` when it can be among its log's LIST_MAX busiest
    searchers once ties are broken by name: only those are looked up (a log has thousands of searchers)."""
    marked, seen = [], {}
    for row in rows:
        rank = seen[row["log_id"]] = seen.get(row["log_id"], 0) + 1
        marked.append({**row, "rank": rank})
    boundary = {}  # the searches of each log's LIST_MAX-th searcher: its ties may still be listed
    for row in marked:
        if row["rank"] == LIST_MAX:
            boundary[row["log_id"]] = row["searches"]
    return [{**row, "listed": row["searches"] >= boundary.get(row["log_id"], 0)} for row in marked]


def policy_against_immigration_searches() -> dict:
    logs = network_logs()
    owners = {log["owner"]["id"]: log for log in logs.values()}
    policies = {
        row["agency_id"]: row
        for row in db.session.execute(LATEST_POLICIES, {"owners": list(owners) or [-1]}).mappings()
        if row["prohibits_immigration_enforcement"]
    }
    prohibiting_logs = [owners[agency_id]["id"] for agency_id in policies]
    rows = _listed(counts_by_searcher(prohibiting_logs, categories_for(IMMIGRATION)))
    profiles = searcher_profiles({row["searcher_id"] for row in rows if row["listed"]}, None)
    found = {}
    for row in rows:
        log = logs[row["log_id"]]
        policy = policies[log["owner"]["id"]]
        entry = found.setdefault(
            log["id"],
            {
                **log["owner"],
                "log": log["id"],
                "demo": log["demo"],
                "policy": {
                    "prohibited_uses": policy["prohibited_uses"],
                    "accessed_on": policy["accessed_on"].isoformat(),
                    "url": policy["url"],
                    "data_set": policy["title"],
                    "attribution": policy["attribution"],
                },
                "searches": 0,
                "searchers": [],
            },
        )
        entry["searches"] += row["searches"]
        if row["listed"]:
            entry["searchers"].append({**profiles[row["searcher_id"]], "searches": row["searches"]})
    agencies = _ranked(list(found.values()))
    for entry in agencies:
        entry["searchers"] = _ranked(entry["searchers"])[:LIST_MAX]
    return {
        "logs": list(logs),
        "owners_with_policy": len(policies),
        "total": len(agencies),
        "searches": sum(entry["searches"] for entry in agencies),
        "agencies": agencies,
    }


def _linked_counts(log_ids: list[int]) -> list:
    """Searches per (log, searcher) with the agency the searcher is linked to (None: not linked), busiest
    first."""
    if not log_ids:
        return []
    c, searchers = search_searcher_counts.c, search_searchers.c
    linked = linked_agencies()
    searches = total(c.searches).label("searches")
    query = (
        select(
            c.log_id,
            c.searcher_id,
            linked.c.id.label("agency_id"),
            searches,
            immigration_total(c.searches, c.category).label("immigration"),
        )
        .join_from(search_searcher_counts, search_searchers, searchers.id == c.searcher_id)
        .outerjoin(linked, linked.c.operator_key == searchers.name_key)
        .where(c.log_id.in_(log_ids))
        .group_by(c.log_id, c.searcher_id, linked.c.id)
        .having(func.sum(c.searches) > 0)
        .order_by(searches.desc(), c.log_id, c.searcher_id)
    )
    return list(db.session.execute(query).mappings())


def searchers_not_listed() -> dict:
    """Per network log whose owner publishes whom it shares with: the searches by searchers whose agency is
    not among its current receivers, and those by searchers not linked to an agency (undecided)."""
    logs = network_logs()
    owners = {log["owner"]["id"]: log for log in logs.values()}
    receivers = {
        row["from_agency_id"]: set(row["receivers"])
        for row in db.session.execute(RECEIVERS, {"owners": list(owners) or [-1]}).mappings()
    }
    listed_logs = {owners[agency_id]["id"]: agency_id for agency_id in receivers}
    rows = _linked_counts(list(listed_logs))
    found = {
        log_id: {
            **logs[log_id]["owner"],
            "log": log_id,
            "demo": logs[log_id]["demo"],
            "receivers_listed": len(receivers[owner_id]),
            "searches": 0,
            "searches_unlisted": 0,
            "searches_unmatched": 0,
            "unlisted": [],
        }
        for log_id, owner_id in listed_logs.items()
    }
    for row in rows:
        entry = found[row["log_id"]]
        entry["searches"] += row["searches"]
        if row["agency_id"] is None:
            entry["searches_unmatched"] += row["searches"]
        elif (
            row["agency_id"] not in receivers[listed_logs[row["log_id"]]] and row["agency_id"] != entry["id"]
        ):
            entry["searches_unlisted"] += row["searches"]
            entry["unlisted"].append(row)
    for entry in found.values():
        entry["unlisted_total"] = len(entry["unlisted"])
        shown = entry["unlisted"][:LIST_MAX]
        profiles = searcher_profiles([row["searcher_id"] for row in shown], entry["state"])
        entry["unlisted"] = [
            {**profiles[row["searcher_id"]], "searches": row["searches"], "immigration": row["immigration"]}
            for row in shown
        ]
    owners_listed = sorted(found.values(), key=lambda entry: (-entry["searches_unlisted"], entry["name"]))
    return {
        "logs": list(logs),
        "owners_without_list": len(logs) - len(listed_logs),
        "owners": owners_listed,
    }
