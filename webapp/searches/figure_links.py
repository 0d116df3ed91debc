"""Every figure of an answer links to the searches behind it: the rows address with the answer's filters
narrowed by the figure (a category, a searcher, a relation, a month, a search type). Pages, JSON and CSV
read the same `rows` fields."""

from datetime import date

from flask import url_for

from webapp.searches.criteria import IMMIGRATION, SearchFilters


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def add_row_links(answer: dict, endpoint: str, agency_id: int, filters: SearchFilters) -> dict:
    def link(narrowed: SearchFilters) -> str:
        return url_for(endpoint, agency_id=agency_id, **narrowed.as_args())

    answer["rows"] = {
        "total": link(filters),
        "immigration": link(filters.narrowed(category=IMMIGRATION)) if not filters.category else None,
        "no_reason": link(filters.narrowed(category="no_reason")) if not filters.category else None,
    }
    for entry in answer["immigration_categories"]:
        entry["rows"] = link(filters.narrowed(category=entry["category"]))
    for entry in answer["by_category"]:
        entry["rows"] = link(filters.narrowed(category=entry["category"]))
    if answer.get("by_searcher"):
        # One url_for for every searcher (a CSV lists thousands): the link without a searcher, then its id.
        base = link(filters.narrowed(searcher=None))
        joiner = "&" if "?" in base else "?"
        for entry in answer["by_searcher"]:
            entry["rows"] = f"{base}{joiner}searcher={int(entry['id'])}"
    for entry in answer.get("by_relation", []):
        entry["rows"] = link(filters.narrowed(relation=entry["relation"]))
    for entry in answer["by_month"]:
        entry["rows"] = link(filters.month_only(_month(entry["month"])))
    for entry in answer["by_search_type"]:
        entry["rows"] = link(filters.narrowed(search_type=entry["search_type"]))
    return answer
