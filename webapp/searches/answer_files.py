"""The searches answers as CSV, through the one CSV writer (formula cells neutralised). Every row repeats
the sources statement (`sources`, `as_of`), so a row copied out keeps its provenance; demo data says so in
every row."""

from webapp.kernel.csv_cells import csv_with_provenance
from webapp.searches.sources import sources_line


def csv_text(columns: list[str], rows: list[list], statement: dict) -> str:
    return csv_with_provenance(
        columns, rows, {"sources": sources_line(statement), "as_of": statement["as_of"]}
    )


FIGURE_COLUMNS = ["list", "key", "label", "searches", "immigration", "multi_network", "rows"]


def figures_csv(answer: dict, statement: dict) -> str:
    """Every figure of a searched-by or officers answer, one per line: `list` says which (the headline
    figures, then each list), `rows` the address of the searches behind it."""
    rows = [
        ["figures", name, name, answer[name], None, None, answer["rows"].get(name)]
        for name in ("total", "immigration", "no_reason", "searching_agencies", "multi_network")
        if name in answer
    ]
    for entry in answer["immigration_categories"]:
        rows.append(
            [
                "immigration_categories",
                entry["category"],
                entry["label"],
                entry["searches"],
                None,
                None,
                entry["rows"],
            ]
        )
    for entry in answer["by_category"]:
        rows.append(
            ["by_category", entry["category"], entry["label"], entry["searches"], None, None, entry["rows"]]
        )
    for entry in answer.get("by_searcher", []):
        label = entry["name"] + (f" → {entry['agency']['name']}" if entry["agency"] else "")
        rows.append(
            [
                "by_searcher",
                entry["id"],
                label,
                entry["searches"],
                entry["immigration"],
                entry["multi_network"],
                entry["rows"],
            ]
        )
    for entry in answer.get("by_relation", []):
        rows.append(
            [
                "by_relation",
                entry["relation"],
                entry["relation"],
                entry["searches"],
                entry["immigration"],
                entry["multi_network"],
                entry["rows"],
            ]
        )
    for entry in answer["by_month"]:
        rows.append(
            [
                "by_month",
                entry["month"],
                entry["month"],
                entry["searches"],
                entry["immigration"],
                entry["multi_network"],
                entry["rows"],
            ]
        )
    for entry in answer["by_search_type"]:
        rows.append(
            [
                "by_search_type",
                entry["search_type"],
                entry["search_type"],
                entry["searches"],
                None,
                None,
                entry["rows"],
            ]
        )
    return csv_text(FIGURE_COLUMNS, rows, statement)


ROW_COLUMNS = [
    "file",
    "file_name",
    "row",
    "searched_at",
    "searcher",
    "searcher_agency_id",
    "relation",
    "reason",
    "category",
    "search_type",
    "networks",
    "devices",
    "moderation",
    "time_frame_from",
    "time_frame_to",
]


def rows_csv(page: dict, statement: dict) -> str:
    values = [
        [
            *(row[name] for name in ROW_COLUMNS[:5]),
            row["searcher_agency"]["id"] if row["searcher_agency"] else None,
            *(row[name] for name in ROW_COLUMNS[6:]),
        ]
        for row in page["rows"]
    ]
    return csv_text(ROW_COLUMNS, values, statement)


PAIR_COLUMNS = [
    "owner_id",
    "owner",
    "owner_state",
    "searcher_id",
    "searcher",
    "searcher_agency_id",
    "relation",
    "searches",
    "immigration",
    "demo",
]


def pairs_csv(answer: dict, statement: dict) -> str:
    values = [
        [
            pair["owner"]["id"],
            pair["owner"]["name"],
            pair["owner"]["state"],
            pair["searcher"]["id"],
            pair["searcher"]["name"],
            pair["searcher"]["agency"]["id"] if pair["searcher"]["agency"] else None,
            pair["searcher"]["relation"],
            pair["searches"],
            pair["immigration"],
            pair["demo"],
        ]
        for pair in answer["pairs"]
    ]
    return csv_text(PAIR_COLUMNS, values, statement)


POLICY_COLUMNS = [
    "owner_id",
    "owner",
    "owner_state",
    "policy_accessed_on",
    "policy_url",
    "prohibited_uses",
    "immigration_searches",
    "searcher",
    "searcher_searches",
    "demo",
]


def policy_csv(answer: dict, statement: dict) -> str:
    values = [
        [
            entry["id"],
            entry["name"],
            entry["state"],
            entry["policy"]["accessed_on"],
            entry["policy"]["url"],
            entry["policy"]["prohibited_uses"],
            entry["searches"],
            searcher["name"],
            searcher["searches"],
            entry["demo"],
        ]
        for entry in answer["agencies"]
        for searcher in entry["searchers"]
    ]
    return csv_text(POLICY_COLUMNS, values, statement)


UNLISTED_COLUMNS = [
    "owner_id",
    "owner",
    "owner_state",
    "receivers_listed",
    "searches",
    "searches_unlisted",
    "searches_unmatched",
    "searcher",
    "searcher_agency_id",
    "searcher_searches",
    "searcher_immigration",
    "demo",
]


def unlisted_csv(answer: dict, statement: dict) -> str:
    values = [
        [
            entry["id"],
            entry["name"],
            entry["state"],
            entry["receivers_listed"],
            entry["searches"],
            entry["searches_unlisted"],
            entry["searches_unmatched"],
            searcher["name"],
            searcher["agency"]["id"],
            searcher["searches"],
            searcher["immigration"],
            entry["demo"],
        ]
        for entry in answer["owners"]
        for searcher in entry["unlisted"]
    ]
    return csv_text(UNLISTED_COLUMNS, values, statement)
