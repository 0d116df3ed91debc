"""Error pages and JSON errors: a clear message and the right status, never a stack trace.

Paths under /api/ answer {"error": code, "message": text}; everything else gets an HTML page.
"""

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from webapp.extensions import db

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


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/tiles/"))


def error_response(status: int, message: str, code: str | None = None) -> Response:
    code = code or ERROR_CODES.get(status, "error")
    if wants_json():
        return make_response(jsonify(error=code, message=message), status)
    return make_response(render_template("error.html", status=status, message=message), status)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = error_response(error.code or 500, error.description or error.name)
        # Flask-Limiter's 429 and our own 503s carry the headers (Retry-After) they were raised with.
        if error.response is not None:
            for name in ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
                if name in error.response.headers:
                    response.headers[name] = error.response.headers[name]
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        app.logger.error("database unavailable: %s", type(error).__name__)
        db.session.rollback()
        response = error_response(
            503, _("The database is unavailable right now. Please try again in a minute.")
        )
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unhandled error")
        return error_response(500, _("Something went wrong on our side. Please try again later."))
