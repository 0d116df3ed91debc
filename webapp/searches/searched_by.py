"""Who searched an agency's cameras (its network log), and what its own officers searched (its organisation
log), read from the rollups (`search_counts`: log x month x searcher x category x search type), never from
the searches themselves: one scan of the log's rollup rows with GROUPING SETS gives every list at once, so an
answer costs the same at 17 million searches as at a thousand.

Figures: `total`, `immigration` (and each immigration category beside it), `no_reason`,
`searching_agencies` (distinct searchers as the log names them), then by category, by searcher, by the
searcher's relation to the owner (in-state, out-of-state, federal), by month and by search type; all within
the filters (period, category, searcher)."""

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    Table,
    cast,
    func,
    literal_column,
    null,
    select,
    tuple_,
    union_all,
)

from webapp.kernel.data.models import (
    SearchCount,
    SearchMonthCount,
    SearchSearcherCount,
    SearchSearcherMonth,
    SearchType,
)
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches.classification import CATEGORY_LABELS, IMMIGRATION_CATEGORIES, is_immigration
from webapp.searches.criteria import IMMIGRATION, SearchFilters, categories_for
from webapp.searches.logs import log_of
from webapp.searches.searcher_relations import PROFILE_COLUMNS, profile_of, profiled_searchers
from webapp.searches.searchers import RELATIONS

NO_REASON = "no_reason"
# What each searcher row of an answer counts.
COUNTED = ("searches", "immigration", "multi_network")

# GROUPING(category, month, type) is a bit mask: a set's bits are the columns it leaves out.
BY_CATEGORY, BY_MONTH, BY_TYPE = 0b011, 0b001, 0b110

search_counts = SearchCount.__table__
search_month_counts = SearchMonthCount.__table__
search_searcher_counts = SearchSearcherCount.__table__
search_searcher_months = SearchSearcherMonth.__table__
search_types = SearchType.__table__


def total(column) -> ColumnElement[int]:
    """sum(column)::bigint, the figure every rollup answer adds up."""
    return cast(func.sum(column), BigInteger)


def immigration_total(searches, category) -> ColumnElement[int]:
    """The searches of the immigration categories among a rollup's rows (0 when none)."""
    counted = func.sum(searches).filter(category.in_(categories_for(IMMIGRATION)))
    return cast(func.coalesce(counted, 0), BigInteger)


def rollup_conditions(filters: SearchFilters, table: Table) -> list[ColumnElement[bool]]:
    """The conditions (beside the log's) these filters put on a rollup table."""
    conditions = []
    if filters.month_from:
        conditions.append(table.c.month >= filters.month_from)
    if filters.month_to:
        conditions.append(table.c.month <= filters.month_to)
    if filters.category:
        conditions.append(table.c.category.in_(categories_for(filters.category)))
    if filters.searcher is not None:
        conditions.append(table.c.searcher_id == filters.searcher)
    return conditions


def _by_month_rows(log_id: int, filters: SearchFilters) -> list:
    """Categories, months x categories and search types in one scan: of search_month_counts (a few thousand
    rows per log), or of search_counts through its (log, searcher) index when one searcher is asked for."""
    table = search_counts if filters.searcher is not None else search_month_counts
    c = table.c
    query = (
        select(
            func.grouping(c.category, c.month, c.search_type_id).label("g"),
            c.category,
            c.month,
            search_types.c.name.label("search_type"),
            total(c.searches).label("searches"),
            total(c.multi_network).label("multi_network"),
        )
        .join_from(table, search_types, search_types.c.id == c.search_type_id)
        .where(c.log_id == log_id, *rollup_conditions(filters, table))
        .group_by(
            func.grouping_sets(
                tuple_(c.category), tuple_(c.month, c.category), tuple_(c.search_type_id, search_types.c.name)
            )
        )
    )
    return db.session.execute(query).mappings().all()


def _per_searcher(log_id: int, filters: SearchFilters) -> Select:
    """One row per searcher of the log within the filters (searches, immigration-related, multi-network):
    from search_searcher_counts (no month in it) unless a period is asked for."""
    period = filters.month_from or filters.month_to
    if period and not filters.category:
        # At most months x searchers rows: the searcher x month rollup has the immigration count.
        table = search_searcher_months
        immigration = total(table.c.immigration)
    else:
        table = search_counts if period else search_searcher_counts
        immigration = immigration_total(table.c.searches, table.c.category)
    c = table.c
    return (
        select(
            c.searcher_id,
            total(c.searches).label("searches"),
            immigration.label("immigration"),
            total(c.multi_network).label("multi_network"),
        )
        .where(c.log_id == log_id, *rollup_conditions(filters, table))
        .group_by(c.searcher_id)
        .having(func.sum(c.searches) > 0)
    )


def _searchers(log: dict, filters: SearchFilters, top: int) -> tuple[list[dict], dict[str, dict]]:
    """The `top` busiest searchers with their profiles, and the totals by relation (with the number of
    searchers in each), both summed in the database: a log has thousands of searchers."""
    # One pass over the log's searcher rollup (materialised once, each searcher with its profile: no array of
    # thousands of ids to bind and plan) for both the busiest and the relations.
    profiled = profiled_searchers(log["owner"]["state"])
    counted = _per_searcher(log["id"], filters).subquery("counted")
    per = (
        select(counted, *(profiled.c[name] for name in PROFILE_COLUMNS))
        .join_from(counted, profiled, profiled.c.id == counted.c.searcher_id)
        .cte("per")
        .prefix_with("MATERIALIZED")
    )
    busiest_rows = (
        select(
            literal_column("false").label("by_relation"),
            literal_column("1").label("searchers"),
            *(per.c[name] for name in (*COUNTED, "searcher_id", *PROFILE_COLUMNS)),
        )
        .order_by(per.c.searches.desc(), per.c.searcher_id)
        .limit(top)
    )
    by_relation = select(
        literal_column("true"),
        func.count(),
        *(total(per.c[name]) for name in COUNTED),
        null(),
        *(per.c.relation if name == "relation" else null() for name in PROFILE_COLUMNS),
    ).group_by(per.c.relation)
    # .all(): one fetch of the thousands of rows (iterating fetches them one at a time).
    rows = db.session.execute(union_all(busiest_rows, by_relation)).mappings().all()
    relations = {name: {"relation": name, "searchers": 0, **_empty()} for name in RELATIONS}
    listed = []
    for row in rows:
        if row["by_relation"]:
            relations[row["relation"]].update({name: row[name] for name in ("searchers", *COUNTED)})
        else:
            listed.append({**profile_of(row["searcher_id"], row), **{name: row[name] for name in COUNTED}})
    return listed, relations


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
    by_category, by_month, by_type = {}, {}, []
    for row in _by_month_rows(log["id"], filters):
        if not row["searches"]:
            continue
        if row["g"] == BY_CATEGORY:
            by_category[row["category"]] = row
        elif row["g"] == BY_MONTH:
            _add(by_month.setdefault(row["month"], _empty(month=row["month"].strftime("%Y-%m"))), row)
        elif row["g"] == BY_TYPE:
            by_type.append({"search_type": row["search_type"], "searches": row["searches"]})
    total = sum(row["searches"] for row in by_category.values())
    multi = sum(row["multi_network"] for row in by_category.values())
    immigration = [
        {
            "category": name,
            "label": str(CATEGORY_LABELS[name]),
            "counted": is_immigration(name),
            "searches": by_category[name]["searches"] if name in by_category else 0,
        }
        for name in IMMIGRATION_CATEGORIES
    ]
    categories = _ranked(
        {
            "category": name,
            "key": name,
            "label": str(CATEGORY_LABELS.get(name, name)),
            "immigration": is_immigration(name),
            "searches": row["searches"],
        }
        for name, row in by_category.items()
    )
    return {
        "total": total,
        "immigration": sum(entry["searches"] for entry in immigration if entry["counted"]),
        "immigration_categories": immigration,
        "no_reason": by_category[NO_REASON]["searches"] if NO_REASON in by_category else 0,
        "multi_network": multi,
        "multi_network_share": round(multi / total, 4) if total else None,
        "by_category": categories,
        "by_month": [by_month[month] for month in sorted(by_month)],
        "by_search_type": sorted(by_type, key=lambda entry: (-entry["searches"], entry["search_type"])),
    }


def searched_by(agency_id: int, filters: SearchFilters, top: int) -> dict:
    """Who searched this agency's cameras: its network log's figures within the filters; the `top` busiest
    searchers are listed (`searching_agencies` counts them all)."""
    log = log_of(agency_id, SearchLogKind.NETWORK)
    answer = figures(log, filters)
    listed, relations = _searchers(log, filters, top)
    return {
        "log": log,
        "filters": filters.as_args(),
        **answer,
        "searching_agencies": sum(entry["searchers"] for entry in relations.values()),
        "by_searcher": listed,
        "by_relation": [relations[name] for name in RELATIONS],
    }


def officers_searched(agency_id: int, filters: SearchFilters) -> dict:
    """What the agency's own officers searched (its organisation log): by category, by month and by search
    type, with the share that reached more than one network. Never by officer: the log's officer names were
    never stored, and no figure is broken down below the agency."""
    log = log_of(agency_id, SearchLogKind.ORG)
    answer = figures(log, filters.narrowed(searcher=None))
    for entry in answer["by_month"]:
        entry["multi_network_share"] = (
            round(entry["multi_network"] / entry["searches"], 4) if entry["searches"] else None
        )
    return {"log": log, "filters": filters.narrowed(searcher=None).as_args(), **answer}
