"""Each searches question answered from the request's arguments, with its sources statement: what a page
(webapp.searches.routes) and its JSON or CSV (webapp.searches.api) share."""

from flask import request

from webapp.agencies.public.filters import parse_state_code
from webapp.kernel.errors import InvalidField
from webapp.kernel.http.query_args import whole_number
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches import across_logs, policy_practice
from webapp.searches.figure_links import add_row_links
from webapp.searches.filters import ROWS_PER_PAGE, parse_filters
from webapp.searches.logs import log_of
from webapp.searches.rows import parse_cursor, rows_page
from webapp.searches.searched_by import officers_searched, searched_by
from webapp.searches.sources import sources_statement

# The page lists this many searchers (JSON too); the CSV lists every one.
TOP_SEARCHERS = 100


def searched_by_answer(agency_id: int, top: int) -> tuple[dict, dict]:
    filters = parse_filters(request.args)
    answer = searched_by(agency_id, filters, top)
    add_row_links(answer, "searches.searched_by_rows_page", agency_id, filters)
    return answer, sources_statement([answer["log"]["id"]])


def officers_answer(agency_id: int) -> tuple[dict, dict]:
    filters = parse_filters(request.args)
    answer = officers_searched(agency_id, filters)
    add_row_links(answer, "searches.officers_rows_page", agency_id, filters.narrowed(searcher=None))
    return answer, sources_statement([answer["log"]["id"]], with_agencies=False)


def requested_rows(agency_id: int, kind: str) -> tuple[dict, dict]:
    filters = parse_filters(request.args)
    if kind == SearchLogKind.ORG:
        filters = filters.narrowed(searcher=None, relation=None)
    limit = whole_number(request.args.get("limit"), "limit", ROWS_PER_PAGE, 1, ROWS_PER_PAGE)
    log = log_of(agency_id, kind)
    page = rows_page(log, filters, parse_cursor(request.args.get("after")), limit)
    page["owner"] = log["owner"]
    page["kind"] = kind
    page["demo"] = log["demo"]
    return page, sources_statement([log["id"]], with_agencies=kind == SearchLogKind.NETWORK)


def immigration_answer() -> tuple[dict, dict]:
    category = parse_filters(request.args).category
    answer = across_logs.immigration_searchers(category)
    return answer, sources_statement(answer["logs"])


def out_of_state_answer() -> tuple[dict, dict]:
    state = parse_state_code(request.args.get("state"))
    if not state:
        raise InvalidField("state", "state=NC (a USPS code) says whose cameras.", code="missing_field")
    answer = across_logs.out_of_state_searchers(state)
    return answer, sources_statement(answer["logs"])


def policy_answer() -> tuple[dict, dict]:
    answer = policy_practice.policy_against_immigration_searches()
    return answer, sources_statement(answer["logs"])


def unlisted_answer() -> tuple[dict, dict]:
    answer = policy_practice.searchers_not_listed()
    return answer, sources_statement(answer["logs"])
