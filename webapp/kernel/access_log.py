"""The access log, written by the app instead of gunicorn: method, route pattern, status, size, duration.

It logs the matched route's pattern (`/api/v1/sightings/<receipt>`), never the concrete path, query string,
body or client address, so no receipt, coordinate or IP ever reaches a log file.
"""

import logging
import re
import time

from flask import Flask, g, request

logger = logging.getLogger("sightline.access")


def _start_timer():
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.pop("request_started", None)
    duration_ms = (time.perf_counter() - started) * 1000 if started is not None else -1
    route = request.url_rule.rule if request.url_rule is not None else "<no route>"
    logger.info(
        "%s %s %s %s %.1fms",
        request.method,
        route,
        response.status_code,
        response.content_length if response.content_length is not None else "-",
        duration_ms,
    )
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
    app.before_request(_start_timer)
    app.after_request(_log_request)
