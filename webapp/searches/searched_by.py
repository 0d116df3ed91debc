"""Who searched an agency's cameras (its network log), and what its own officers searched (its organisation
log), read from the rollups (`search_counts`: log x month x searcher x category x search type), never from
the searches themselves: one scan of the log's rollup rows with GROUPING SETS gives every list at once, so an
answer costs the same at 17 million searches as at a thousand.

Figures: `total`, `immigration` (and each immigration category beside it), `no_reason`,
`searching_agencies` (distinct searchers as the log names them), then by category, by searcher, by the
searcher's relation to the owner (in-state, out-of-state, federal), by month and by search type; all within
the filters (period, category, searcher)."""

from sqlalchemy import bindparam, text

from webapp.searches.categories import category_label, category_sql, immigration_categories, is_immigration
from webapp.searches.filters import SearchFilters
from webapp.searches.logs import log_of
from webapp.searches.searcher_relations import searcher_profiles
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SearchLogKind

RELATION_ORDER = ("in_state", "out_of_state", "federal", "unknown")
NO_REASON = "no_reason"

# GROUPING(...) is a bit mask over (category, searcher, month, type): a set's bits are the columns it leaves
# out. 0b0111 = by category; 0b0011 = by searcher and category; 0b0101 = by month and category; 0b1110 = by
# search type.
BY_CATEGORY, BY_SEARCHER, BY_MONTH, BY_TYPE = 0b0111, 0b0011, 0b0101, 0b1110


def rollup_conditions(filters: SearchFilters) -> tuple[str, dict]:
    """The WHERE clause (after `c.log_id = :log`) and its parameters for these filters over search_counts."""
    clauses, params = [], {}
    if filters.month_from:
        clauses.append("c.month >= :month_from")
        params["month_from"] = filters.month_from
    if filters.month_to:
        clauses.append("c.month <= :month_to")
        params["month_to"] = filters.month_to
    if filters.category:
        clauses.append("c.category IN :categories")
        params["categories"] = category_sql(filters.category)
    if filters.searcher is not None:
        clauses.append("c.searcher_id = :searcher")
        params["searcher"] = filters.searcher
    return "".join(f" AND {clause}" for clause in clauses), params


def _grouped(log_id: int, filters: SearchFilters) -> list:
    where, params = rollup_conditions(filters)
    statement = text(
        "SELECT GROUPING(c.category, c.searcher_id, c.month, c.search_type_id) AS g, c.category, "
        "c.searcher_id, c.month, t.name AS search_type, sum(c.searches)::bigint AS searches, "
        "sum(c.multi_network)::bigint AS multi_network "
        f"FROM search_counts AS c JOIN search_types AS t ON t.id = c.search_type_id WHERE c.log_id = :log{where} "
        "GROUP BY GROUPING SETS ((c.category), (c.searcher_id, c.category), (c.month, c.category), "
        "(c.search_type_id, t.name))"
    )
    if "categories" in params:
        statement = statement.bindparams(bindparam("categories", expanding=True))
    return list(db.session.execute(statement, {"log": log_id, **params}).mappings())


def _add(entry: dict, row) -> None:
    entry["searches"] += row["searches"]
    entry["multi_network"] += row["multi_network"]
    if is_immigration(row["category"]):
        entry["immigration"] += row["searches"]


def _empty(**fields) -> dict:
    return {**fields, "searches": 0, "immigration": 0, "multi_network": 0}


def _ranked(entries) -> list[dict]:
    return sorted(entries, key=lambda entry: (-entry["searches"], str(entry.get("name") or entry.get("key"))))


def figures(log: dict, filters: SearchFilters) -> dict:
    rows = _grouped(log["id"], filters)
    by_category, by_searcher, by_month, by_type = {}, {}, {}, []
    for row in rows:
        if row["g"] == BY_CATEGORY:
            by_category[row["category"]] = row
        elif row["g"] == BY_SEARCHER:
            _add(by_searcher.setdefault(row["searcher_id"], _empty(id=row["searcher_id"])), row)
        elif row["g"] == BY_MONTH:
            _add(by_month.setdefault(row["month"], _empty(month=row["month"].strftime("%Y-%m"))), row)
        elif row["g"] == BY_TYPE:
            by_type.append({"search_type": row["search_type"], "searches": row["searches"]})
    total = sum(row["searches"] for row in by_category.values())
    multi = sum(row["multi_network"] for row in by_category.values())
    immigration = [
        {"category": name, "label": category_label(name), "searches": by_category[name]["searches"] if name in by_category else 0}
        for name in immigration_categories()
    ]
    categories = _ranked(
        {
            "category": name,
            "key": name,
            "label": category_label(name),
            "immigration": is_immigration(name),
            "searches": row["searches"],
        }
        for name, row in by_category.items()
    )
    return {
        "total": total,
        "immigration": sum(entry["searches"] for entry in immigration),
        "immigration_categories": immigration,
        "no_reason": by_category[NO_REASON]["searches"] if NO_REASON in by_category else 0,
        "multi_network": multi,
        "multi_network_share": round(multi / total, 4) if total else None,
        "by_category": categories,
        "by_searcher": by_searcher,
        "by_month": [by_month[month] for month in sorted(by_month)],
        "by_search_type": sorted(by_type, key=lambda entry: (-entry["searches"], entry["search_type"])),
    }


def searched_by(agency_id: int, filters: SearchFilters, top: int) -> dict:
    """Who searched this agency's cameras: its network log's figures within the filters; the `top` busiest
    searchers are listed (`searching_agencies` counts them all)."""
    log = log_of(agency_id, SearchLogKind.NETWORK)
    answer = figures(log, filters)
    searchers = answer.pop("by_searcher")
    profiles = searcher_profiles(searchers, log["owner"]["state"])
    relations = {name: _empty(relation=name) for name in RELATION_ORDER}
    for searcher_id, entry in searchers.items():
        profile = profiles[searcher_id]
        entry.update(profile)
        target = relations[profile["relation"]]
        for name in ("searches", "immigration", "multi_network"):
            target[name] += entry[name]
    listed = _ranked(searchers.values())
    return {
        "log": log,
        "filters": filters.as_args(),
        **answer,
        "searching_agencies": len(searchers),
        "by_searcher": listed[:top],
        "by_relation": [relations[name] for name in RELATION_ORDER],
    }


def officers_searched(agency_id: int, filters: SearchFilters) -> dict:
    """What the agency's own officers searched (its organisation log): by category, by month and by search
    type, with the share that reached more than one network. Never by officer: the log's officer names were
    never stored, and no figure is broken down below the agency."""
    log = log_of(agency_id, SearchLogKind.ORG)
    answer = figures(log, filters.narrowed(searcher=None))
    answer.pop("by_searcher")
    for entry in answer["by_month"]:
        entry["multi_network_share"] = round(entry["multi_network"] / entry["searches"], 4) if entry["searches"] else None
    return {"log": log, "filters": filters.narrowed(searcher=None).as_args(), **answer}
