"""The domain's error types and the one place that turns any error into an answer: an HTML page, or
`{"error": code, "message": text}` (plus `"field"` when one field is at fault) for JSON clients.

Domain functions raise a DomainError; routes do not catch it. The handler rolls the transaction back (so
nothing half-done is committed, and files written for it are removed) and answers with the error's status.
JSON is the answer under /api/ and /tiles/, and for views marked @answers_json (the small JSON helpers
pages call). A view marked @names_fields adds the refused field's name to its JSON errors (the submission API
documents it, so that an app can point at the field).
"""

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from webapp.kernel.data import transactions
from webapp.kernel.http.quiet_routes import log_error

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
    507: "insufficient_storage",
}


class DomainError(Exception):
    """Something a user asked for that cannot be done; the message says why, in words they can act on."""

    status = 400
    code: str | None = None

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
        retry_after: int | None = None,
        details: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        # More for a JSON client, beside error and message (a stale edit's current values, for instance).
        self.details = details
        if status is not None:
            self.status = status
        self.code = code or self.code or ERROR_CODES.get(self.status, "error")
        self.field = field
        self.retry_after = retry_after


class InvalidInput(DomainError):
    status = 400


class InvalidField(InvalidInput):
    """One field of a form or body is wrong (`missing_field` when it is absent)."""

    def __init__(self, field: str, message: str, code: str = "invalid_field", status: int = 400):
        super().__init__(message, code=code, field=field, status=status)


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class AlreadyHandled(DomainError):
    """Someone else changed the thing first (a concurrent moderator, a stale form)."""

    status = 409
    code = "already_handled"


class Unavailable(DomainError):
    """A dependency (storage, the database) cannot take the request now; nothing was kept."""

    status = 503


def answers_json(view):
    """Mark a view outside /api/ whose errors must be JSON too (it is called by a page's script)."""
    view.answers_json = True
    return view


def names_fields(view):
    """Mark a view whose JSON errors name the refused field (`"field": "lat"`)."""
    view.names_fields = True
    return view


def view_says(flag: str) -> bool:
    """Whether the view answering this request carries a mark its decorator set (@answers_json, ...)."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, flag, False))


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/tiles/")) or view_says("answers_json")


def error_response(
    status: int, message: str, code: str | None = None, field: str | None = None, details: dict | None = None
) -> Response:
    code = code or ERROR_CODES.get(status, "error")
    if wants_json():
        body = {**(details or {}), "error": code, "message": message}
        if field and view_says("names_fields"):
            body["field"] = field
        return make_response(jsonify(body), status)
    return make_response(render_template("error.html", status=status, message=message), status)


def domain_error_response(error: DomainError) -> Response:
    response = error_response(error.status, error.message, error.code, error.field, error.details)
    if error.retry_after:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def http_error_message(error: HTTPException) -> str:
    """The message of an HTTP error: the one it was raised with (already in the page's language), or ours
    for Werkzeug's own English default (a page that does not exist, a body too large, a wrong method)."""
    if error.description and error.description != type(error).description:
        return error.description
    defaults = {
        400: _("The request could not be understood."),
        401: _("Log in first."),
        403: _("You may not do this."),
        404: _("There is nothing at this address."),
        405: _("This address does not accept this kind of request."),
        413: _("The request is too large."),
        415: _("This kind of content is not accepted here."),
        429: _("Too many requests. Please try again later."),
    }
    return defaults.get(error.code or 500, error.description or error.name)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        transactions.rollback()
        return domain_error_response(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = error_response(error.code or 500, http_error_message(error))
        # Flask-Limiter's 429 and our own 503s carry the headers (Retry-After) they were raised with.
        if error.response is not None:
            for name in ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
                if name in error.response.headers:
                    response.headers[name] = error.response.headers[name]
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        log_error(app.logger, error, "database unavailable", traceback=False)
        transactions.rollback()
        response = error_response(
            503, _("The database is unavailable right now. Please try again in a minute.")
        )
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected(error):
        log_error(app.logger, error, "unhandled error", traceback=True)
        transactions.rollback()
        return error_response(500, _("Something went wrong on our side. Please try again later."))
