"""The searches answers for programs: JSON and CSV under /api/v1 (docs/api.md). Each carries its sources
statement; each figure the address of the searches behind it; each row its file and row number."""

from functools import partial

from flask import Response, url_for

from webapp.kernel.http import public_answers
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches import answer_files
from webapp.searches.answers import (
    TOP_SEARCHERS,
    immigration_answer,
    officers_answer,
    out_of_state_answer,
    policy_answer,
    requested_rows,
    searched_by_answer,
    unlisted_answer,
)
from webapp.searches.blueprint import bp
from webapp.searches.logs import loaded_logs
from webapp.searches.sources import sources_statement

# The CSV lists every searcher (the page and the JSON list TOP_SEARCHERS).
ALL_SEARCHERS = 100_000


# Public answers (webapp.kernel.http.public_answers) without the cameras' licence header: the searches are
# public records, each answer states its own sources.
json_answer = partial(public_answers.json_answer, licence=False)
csv_answer = partial(public_answers.csv_answer, licence=False)


def _rows_response(
    page: dict, statement: dict, fmt: str, endpoint: str, agency_id: int, stem: str
) -> Response:
    following = None
    if page["next"]:
        following = url_for(endpoint, agency_id=agency_id, fmt=fmt, **page["filters"], after=page["next"])
    if fmt == "csv":
        response = csv_answer(answer_files.rows_csv(page, statement), f"sightline-{stem}-{agency_id}.csv")
    else:
        response = json_answer({**page, "next_url": following, "sources": statement})
    if following:
        response.headers["Link"] = f'<{following}>; rel="next"'
    return response


@bp.get("/api/v1/agencies/<id:agency_id>/searched-by", defaults={"fmt": "json"})
@bp.get("/api/v1/agencies/<id:agency_id>/searched-by.<any(csv):fmt>")
def api_searched_by(agency_id: int, fmt: str):
    answer, statement = searched_by_answer(agency_id, ALL_SEARCHERS if fmt == "csv" else TOP_SEARCHERS)
    if fmt == "csv":
        return csv_answer(
            answer_files.figures_csv(answer, statement), f"sightline-searched-by-{agency_id}.csv"
        )
    return json_answer({**answer, "sources": statement})


@bp.get("/api/v1/agencies/<id:agency_id>/searched-by/rows", defaults={"fmt": "json"})
@bp.get("/api/v1/agencies/<id:agency_id>/searched-by/rows.<any(csv):fmt>")
def api_searched_by_rows(agency_id: int, fmt: str):
    page, statement = requested_rows(agency_id, SearchLogKind.NETWORK)
    return _rows_response(
        page, statement, fmt, "searches.api_searched_by_rows", agency_id, "searched-by-rows"
    )


@bp.get("/api/v1/agencies/<id:agency_id>/officers-searched", defaults={"fmt": "json"})
@bp.get("/api/v1/agencies/<id:agency_id>/officers-searched.<any(csv):fmt>")
def api_officers(agency_id: int, fmt: str):
    answer, statement = officers_answer(agency_id)
    if fmt == "csv":
        return csv_answer(
            answer_files.figures_csv(answer, statement), f"sightline-officers-searched-{agency_id}.csv"
        )
    return json_answer({**answer, "sources": statement})


@bp.get("/api/v1/agencies/<id:agency_id>/officers-searched/rows", defaults={"fmt": "json"})
@bp.get("/api/v1/agencies/<id:agency_id>/officers-searched/rows.<any(csv):fmt>")
def api_officers_rows(agency_id: int, fmt: str):
    page, statement = requested_rows(agency_id, SearchLogKind.ORG)
    return _rows_response(
        page, statement, fmt, "searches.api_officers_rows", agency_id, "officers-searched-rows"
    )


@bp.get("/api/v1/searches/logs")
def api_logs():
    logs = loaded_logs()
    return json_answer(
        {"logs": logs, "sources": sources_statement([log["id"] for log in logs], with_agencies=False)}
    )


@bp.get("/api/v1/searches/immigration", defaults={"fmt": "json"})
@bp.get("/api/v1/searches/immigration.<any(csv):fmt>")
def api_immigration(fmt: str):
    answer, statement = immigration_answer()
    if fmt == "csv":
        return csv_answer(answer_files.pairs_csv(answer, statement), "sightline-immigration-searches.csv")
    return json_answer({**answer, "sources": statement})


@bp.get("/api/v1/searches/out-of-state", defaults={"fmt": "json"})
@bp.get("/api/v1/searches/out-of-state.<any(csv):fmt>")
def api_out_of_state(fmt: str):
    answer, statement = out_of_state_answer()
    if fmt == "csv":
        return csv_answer(
            answer_files.pairs_csv(answer, statement), f"sightline-out-of-state-{answer['state']}.csv"
        )
    return json_answer({**answer, "sources": statement})


@bp.get("/api/v1/searches/policy-vs-practice", defaults={"fmt": "json"})
@bp.get("/api/v1/searches/policy-vs-practice.<any(csv):fmt>")
def api_policy(fmt: str):
    answer, statement = policy_answer()
    if fmt == "csv":
        return csv_answer(answer_files.policy_csv(answer, statement), "sightline-policy-vs-practice.csv")
    return json_answer({**answer, "sources": statement})


@bp.get("/api/v1/searches/unlisted-searchers", defaults={"fmt": "json"})
@bp.get("/api/v1/searches/unlisted-searchers.<any(csv):fmt>")
def api_unlisted(fmt: str):
    answer, statement = unlisted_answer()
    if fmt == "csv":
        return csv_answer(answer_files.unlisted_csv(answer, statement), "sightline-unlisted-searchers.csv")
    return json_answer({**answer, "sources": statement})
