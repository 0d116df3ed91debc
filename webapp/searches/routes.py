"""The searches pages: /searches (the loaded logs and the questions), each answer as a page (its JSON and
CSV are in webapp.searches.api), the rows behind a figure, and the moderators' upload of a log. Routes parse,
call one domain function and render."""

from flask import redirect, render_template, request, url_for

from webapp.agencies.public.filters import parse_state_code
from webapp.agencies.us_states import NAME_BY_USPS
from webapp.kernel.extensions import csrf
from webapp.kernel.http.access import moderator_required
from webapp.kernel.http.text_input import reads_own_body
from webapp.kernel.vocabulary import SEARCH_LOG_KINDS, SearchLogKind
from webapp.searches import across_logs
from webapp.searches.answers import (
    TOP_SEARCHERS,
    immigration_answer,
    officers_answer,
    policy_answer,
    requested_rows,
    searched_by_answer,
    unlisted_answer,
)
from webapp.searches.blueprint import bp
from webapp.searches.classification import CATEGORIES, CATEGORY_LABELS
from webapp.searches.criteria import IMMIGRATION
from webapp.searches.filters import parse_filters
from webapp.searches.log_upload import read_upload
from webapp.searches.logs import loaded_logs, log_kinds_of
from webapp.searches.sources import sources_statement
from webapp.searches.upload_jobs import queue_upload, upload_status


@bp.app_context_processor
def agency_search_logs():
    """The agency page links to the answers of the logs loaded for it."""
    return {"search_log_kinds_of": log_kinds_of}


def category_options() -> list[tuple[str, str]]:
    return [(IMMIGRATION, "immigration")] + [(name, str(CATEGORY_LABELS[name])) for name in CATEGORIES]


def state_options() -> list:
    return sorted(NAME_BY_USPS.items(), key=lambda item: item[1])


@bp.get("/searches")
def index():
    logs = loaded_logs()
    return render_template(
        "searches/index.html",
        logs=logs,
        states=state_options(),
        sources=sources_statement([log["id"] for log in logs], with_agencies=False),
    )


def _answer_page(template: str, answer: dict, statement: dict):
    return render_template(
        template,
        answer=answer,
        filters=parse_filters(request.args),
        categories=category_options(),
        sources=statement,
    )


@bp.get("/searches/agencies/<id:agency_id>/searched-by")
def searched_by_page(agency_id: int):
    return _answer_page("searches/searched_by.html", *searched_by_answer(agency_id, TOP_SEARCHERS))


@bp.get("/searches/agencies/<id:agency_id>/officers")
def officers_page(agency_id: int):
    return _answer_page("searches/officers.html", *officers_answer(agency_id))


def _rows_page(agency_id: int, kind: str, endpoint: str, api_endpoint: str):
    page, statement = requested_rows(agency_id, kind)
    here = {"agency_id": agency_id, **page["filters"], "after": request.args.get("after")}
    links = {
        "next": url_for(endpoint, **{**here, "after": page["next"]}) if page["next"] else None,
        "csv": url_for(api_endpoint, fmt="csv", **here),
        "json": url_for(api_endpoint, **here),
    }
    return render_template("searches/rows.html", page=page, links=links, sources=statement)


@bp.get("/searches/agencies/<id:agency_id>/searched-by/rows")
def searched_by_rows_page(agency_id: int):
    return _rows_page(
        agency_id, SearchLogKind.NETWORK, "searches.searched_by_rows_page", "searches.api_searched_by_rows"
    )


@bp.get("/searches/agencies/<id:agency_id>/officers/rows")
def officers_rows_page(agency_id: int):
    return _rows_page(
        agency_id, SearchLogKind.ORG, "searches.officers_rows_page", "searches.api_officers_rows"
    )


@bp.get("/searches/immigration")
def immigration_page():
    answer, statement = immigration_answer()
    return render_template("searches/pairs.html", answer=answer, question="immigration", sources=statement)


@bp.get("/searches/out-of-state")
def out_of_state_page():
    state = parse_state_code(request.args.get("state"))
    answer = statement = None
    if state:
        answer = across_logs.out_of_state_searchers(state)
        statement = sources_statement(answer["logs"])
    return render_template(
        "searches/pairs.html",
        answer=answer,
        question="out_of_state",
        states=state_options(),
        state=state,
        sources=statement or sources_statement([]),
    )


@bp.get("/searches/policy-vs-practice")
def policy_page():
    answer, statement = policy_answer()
    return render_template("searches/policy.html", answer=answer, sources=statement)


@bp.get("/searches/unlisted-searchers")
def unlisted_page():
    answer, statement = unlisted_answer()
    return render_template("searches/unlisted.html", answer=answer, sources=statement)


# Moderators ----------------------------------------------------------------------------------------------


@bp.get("/moderate/searches/upload")
@moderator_required
def upload_form():
    return render_template("searches/upload.html", kinds=SEARCH_LOG_KINDS)


@bp.post("/moderate/searches/upload")
@moderator_required
@reads_own_body
def upload():
    path, provenance = read_upload()
    return redirect(url_for("searches.upload_page", job=queue_upload(path, provenance)), code=303)


# The form is read by read_upload(), which checks its CSRF token itself (Flask-WTF would parse the body
# into memory first).
csrf.exempt(upload)


# A job is named by RQ's own id (a UUID string), not a database record: no `_id` converter.
@bp.get("/moderate/searches/uploads/<job>")
@moderator_required
def upload_page(job: str):
    return render_template("searches/upload_status.html", job=upload_status(job))
