"""Quiet routes: those whose every request is a report, a photo upload, a position read from a photo, a
receipt check or a flag, so that a log line's time (and Docker's or journald's stamp on it) would be that
act's exact time. Their requests write no line at all: not the access line, not a library's message
(Flask-Limiter's breach, a warning), not a traceback. They are counted in the summary, by UTC day
(webapp.kernel.http.route_summary). An error on a quiet route writes its class and the route pattern only, at
most once a minute per route; further ones are counted in the summary.

The files a page loads (static files, npm packages, the favicon, vector tiles) are quiet too: they are
fetched right after each page, the report form's and the receipt's included, so their lines would time
every report just as well (issue 20).

A domain marks its routes: `quiet_blueprint(bp)` for a blueprint whose every route is quiet, `@quiet` for
one view.
"""

import logging
import threading
import time

from flask import Blueprint, current_app, has_request_context, request
from sqlalchemy.exc import DBAPIError

from webapp.kernel.http.route_summary import ALLOWED_IN_QUIET_REQUESTS, summary

ERROR_LINE_INTERVAL_SECONDS = 60

_quiet_blueprints: set[str] = set()
_last_error_line: dict[str, float] = {}
_error_lock = threading.Lock()


def quiet(view):
    """Mark one view quiet (see the module docstring)."""
    view.quiet = True
    return view


def quiet_blueprint(blueprint: Blueprint) -> Blueprint:
    """Mark every route of a blueprint quiet, those added later included."""
    _quiet_blueprints.add(blueprint.name)
    return blueprint


def is_quiet_request() -> bool:
    if not has_request_context() or request.url_rule is None:
        return False
    if request.blueprint in _quiet_blueprints:
        return True
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "quiet", False))


def route_of_request() -> str:
    """`METHOD /route/<pattern>`: what logs may say of a request (never its concrete path)."""
    rule = request.url_rule.rule if request.url_rule is not None else "<no route>"
    return f"{request.method} {rule}"


class QuietRequestFilter(logging.Filter):
    """Drops every log record made while a quiet request is handled, except the ones this module and the
    summary write on purpose; counts what it dropped (at warning level and above) in the summary."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "sightline_allowed", False) or not is_quiet_request():
            return True
        if record.levelno >= logging.WARNING and not getattr(record, "sightline_counted", False):
            record.sightline_counted = True  # a record passes several filters: count it once
            summary.withhold(route_of_request(), time.time())
        return False


QUIET_FILTER = QuietRequestFilter()
# The loggers that write during a request: a filter on a logger also holds for handlers added later
# (pytest's caplog, a deployment's own configuration).
REQUEST_LOGGERS = ("webapp", "flask-limiter", "werkzeug", "sqlalchemy", "sightline.access", "gunicorn.error")


def install_quiet_filter() -> None:
    """Put the filter on the loggers that write during requests and on every handler that prints (which
    also catches records from loggers not named above). Idempotent."""
    handlers = list(logging.getLogger().handlers)
    for name in REQUEST_LOGGERS:
        handlers += logging.getLogger(name).handlers
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    from flask.logging import default_handler

    handlers.append(default_handler)
    for target in [*(logging.getLogger(name) for name in REQUEST_LOGGERS), *handlers]:
        if QUIET_FILTER not in target.filters:
            target.addFilter(QUIET_FILTER)


def log_error(logger: logging.Logger, error: BaseException, message: str, traceback: bool) -> None:
    """Log an error as the current route allows: in full (`message`, with the traceback if asked) on an
    ordinary route; on a quiet one its class and the route pattern, once a minute per route at most.

    A database error is never logged with its message, anywhere: PostgreSQL quotes the offending value in it
    (`invalid input syntax for type integer: "<what the user typed>"`), which hide_parameters cannot hide.
    Its class, SQLSTATE and statement (placeholders, no values) say enough."""
    if not is_quiet_request():
        if isinstance(error, DBAPIError):
            described = type(error).__name__
            if sqlstate := getattr(error.orig, "sqlstate", None):
                described += f" sqlstate={sqlstate}"
            if error.statement:
                described += f" [SQL: {' '.join(error.statement.split())[:500]}]"
            logger.error("%s: %s", message, described)
        elif traceback:
            logger.exception(message)
        else:
            logger.error("%s: %s", message, type(error).__name__)
        return
    route = route_of_request()
    now = time.monotonic()
    with _error_lock:
        last = _last_error_line.get(route)
        if last is not None and now - last < ERROR_LINE_INTERVAL_SECONDS:
            summary.withhold(route, time.time())
            return
        _last_error_line[route] = now
    logger.error(
        "%s on %s (quiet route: no details; at most one line a minute)",
        type(error).__name__,
        route,
        extra=ALLOWED_IN_QUIET_REQUESTS,
    )
