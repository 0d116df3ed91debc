"""What the searches' answers accept in their addresses, checked once into a SearchFilters: a period of
months (`from`, `to`, as YYYY-MM), a category (or `immigration` for every immigration category), a searching
agency, and for the rows behind a figure the state relation, the month and the search type. Each refusal is
a 400 that names the parameter and what is allowed. The queries take the SearchFilters made here
(webapp.searches.criteria), never the request."""

import re
from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _

from webapp.kernel.errors import InvalidField
from webapp.kernel.http.query_args import whole_number
from webapp.searches.classification import CATEGORIES
from webapp.searches.criteria import IMMIGRATION, SearchFilters
from webapp.searches.searchers import RELATIONS

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# A searching agency is named by its id in agencies; 0 is the searchers no agency was matched to.
AGENCY_ID_MAX = 2**62
SEARCH_TYPE_MAX_CHARS = 40

# Deep pages of rows cost nothing (keyset paging), but one page is bounded.
ROWS_PER_PAGE = 100


def parse_month(raw: str | None, field: str) -> date | None:
    text = (raw or "").strip()
    if not text:
        return None
    match = MONTH.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise InvalidField(
            field, _("%(field)s must be a month as YYYY-MM, for example 2025-03.", field=field)
        )
    return date(int(match.group(1)), int(match.group(2)), 1)


def parse_choice(raw: str | None, field: str, allowed: tuple[str, ...]) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    if value not in allowed:
        raise InvalidField(
            field, _("%(field)s must be one of %(allowed)s.", field=field, allowed=", ".join(allowed))
        )
    return value


def parse_search_type(raw: str | None) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    if len(value) > SEARCH_TYPE_MAX_CHARS:
        raise InvalidField(
            "search_type", _("search_type may be at most %(n)d characters.", n=SEARCH_TYPE_MAX_CHARS)
        )
    return value


def parse_filters(args: Mapping) -> SearchFilters:
    month_from = parse_month(args.get("from"), "from")
    month_to = parse_month(args.get("to"), "to")
    if month_from and month_to and month_from > month_to:
        raise InvalidField("to", _("to must not be before from."))
    searcher = whole_number(args.get("searcher"), "searcher", -1, 0, AGENCY_ID_MAX)
    return SearchFilters(
        month_from=month_from,
        month_to=month_to,
        category=parse_choice(args.get("category"), "category", (IMMIGRATION, *CATEGORIES)),
        searcher=None if searcher < 0 else searcher,
        relation=parse_choice(args.get("relation"), "relation", RELATIONS),
        search_type=parse_search_type(args.get("search_type")),
    )
