"""The access log, written by the app instead of gunicorn: method, route pattern, status and duration.

It logs the matched route's pattern (`/cameras/<id:camera_id>`), never the concrete path, query string,
body, response size (which tells one camera's page from another's) or client address, so no receipt,
coordinate or IP ever reaches a log file. Quiet routes (reports, photo uploads, positions, receipt checks,
flags: webapp.kernel.http.quiet_routes) write no line at all. Every request, quiet or not, is counted in the
summary (webapp.kernel.http.route_summary: by hour, by day for the quiet routes).
"""

import logging
import re
import time

from flask import Flask, g

from webapp.kernel.http.quiet_routes import install_quiet_filter, is_quiet_request, route_of_request
from webapp.kernel.http.route_summary import record_request

logger = logging.getLogger("sightline.access")


def _start_timer():
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.pop("request_started", None)
    duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    route = route_of_request()
    quiet = is_quiet_request()
    record_request(route, response.status_code, duration_ms, daily=quiet)
    if not quiet:
        logger.info("%s %s %.1fms", route, response.status_code, duration_ms)
    return response


class _NoRequestLines(logging.Filter):
    """Drops the development server's own request lines (`127.0.0.1 - - [date] "GET /path?query" 200`):
    they carry the client address and the concrete URL. `make run` serves through it;
    our own line replaces them."""

    REQUEST_LINE = re.compile(r"^\S+ - - \[")

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.REQUEST_LINE.match(record.getMessage())


def init_access_log(app: Flask) -> None:
    development_server_log = logging.getLogger("werkzeug")
    if not any(isinstance(existing, _NoRequestLines) for existing in development_server_log.filters):
        development_server_log.addFilter(_NoRequestLines())
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    app.logger  # noqa: B018 (created now, so that Flask's handler exists when the quiet filter is installed)
    install_quiet_filter()
    app.before_request(_start_timer)
    app.after_request(_log_request)
