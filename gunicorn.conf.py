"""gunicorn's production settings for Sightline: `gunicorn -c gunicorn.conf.py "webapp:create_app()"`.

Logs hold no client address, no URL and no request body. The app writes its own access line per request
(webapp/kernel/http/access_log.py: method, route pattern, status, duration), none at all on the routes of
reporting and flagging (webapp/kernel/http/quiet_routes.py), and a summary per route, hourly (daily for
the quiet routes: webapp/kernel/http/route_summary.py), so gunicorn's access log stays off. gunicorn's own
error log goes through PrivateLogger, which blanks addresses and request targets from the few messages that
would otherwise carry them ("Invalid request from ip=...", "Error handling request /path") and drops its
per-connection debug messages ("Closing connection."), whose times would be those of requests. Each worker
writes its own summary lines, labelled `worker-N` (gunicorn's spawn counter, not the pid), for the periods
that ended and, when it exits, the hour in progress.

Settings from the environment: BIND (default 127.0.0.1:8000; the container sets 0.0.0.0:8000),
WEB_CONCURRENCY (worker processes; default 2 per core + 1; more than one needs the rate-limit counters in
Redis, RATELIMIT_STORAGE_URI, or gunicorn refuses to start), WEB_THREADS (threads per worker; default 4),
WEB_TIMEOUT (seconds; default 60), LOG_LEVEL (default info), WEB_CONTROL_SOCKET (a path for `gunicornc`;
default none: no control socket).
"""

import gc
import logging
import multiprocessing
import os
import re

from gunicorn.glogging import Logger


def _int_from_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [address.strip() for address in os.environ.get("BIND", "127.0.0.1:8000").split(",") if address.strip()]
workers = _int_from_env("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# Threads let a worker keep serving tiles while another request waits on the database or a photo upload;
# each thread holds at most one pooled connection (DATABASE_POOL_SIZE, default 5, stays above it).
worker_class = "gthread"
threads = _int_from_env("WEB_THREADS", 4)
timeout = _int_from_env("WEB_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# Uploads are capped by the app (MAX_CONTENT_LENGTH); these only bound the request line and headers.
limit_request_line = 8190
limit_request_fields = 100

# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), which several
# servers on one machine (tests, benchmarks) would fight over; it is off unless WEB_CONTROL_SOCKET names one.
control_socket = os.environ.get("WEB_CONTROL_SOCKET", "").strip() or None
control_socket_disable = control_socket is None

accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
capture_output = False
proc_name = "sightline"


_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
# Eight hex groups, or fewer around a "::" (with an optional IPv4 tail: ::ffff:10.0.0.1). A time such as
# 12:30:45 has neither, so it is left alone.
_IPV6 = re.compile(
    r"(?<![0-9A-Za-z:.])"
    r"(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:)*(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?)"
    r"(?![0-9A-Za-z:])"
)
# Messages that carry a client's request (its target can hold a receipt, its bytes anything): keep the kind
# of event, drop the rest.
_REQUEST_MESSAGES = (
    (
        re.compile(r"^Invalid request from ip=.*", re.DOTALL),
        "Invalid request (client and request not logged)",
    ),
    (re.compile(r"^Error handling request\b.*", re.DOTALL), "Error handling request (request not logged)"),
)
# Debug messages gunicorn writes once per request or connection: their times would be requests' times.
_PER_REQUEST_MESSAGES = re.compile(
    r"^(Closing connection|Ignored premature client disconnection|Ignoring (connection|socket|EPIPE))"
)


def scrub(message: str) -> str:
    """A log message with client addresses and request targets removed."""
    for pattern, replacement in _REQUEST_MESSAGES:
        if pattern.match(message):
            return replacement
    message = _IPV6.sub("[address]", message)
    return _IPV4.sub("[address]", message)


class _ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _PER_REQUEST_MESSAGES.match(record.getMessage()):
            return False
        record.msg = scrub(record.getMessage())
        record.args = None
        return True


class PrivateLogger(Logger):
    """gunicorn's logger, with every error-log message scrubbed of addresses and request targets, and no
    access log at all (the app writes its own, without addresses or URLs)."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            if not any(isinstance(existing, _ScrubFilter) for existing in handler.filters):
                handler.addFilter(_ScrubFilter())

    def access(self, resp, req, environ, request_time):
        return None


logger_class = PrivateLogger


def pre_request(worker, req):
    """Replaces gunicorn's default hook, which logs every request's path at debug level: a path can carry a
    receipt."""


def on_starting(server):
    """Refuse to start several workers that would each keep rate-limit counters in their own memory: the
    worker count is gunicorn's final one (WEB_CONCURRENCY, or --workers on the command line)."""
    from webapp.kernel.config import from_environment
    from webapp.kernel.http.ratelimit import check_counters_shared

    # A RuntimeError stops gunicorn before it binds, with "Error: <the message>" and exit status 1.
    check_counters_shared(from_environment(), server.cfg.workers)


def post_fork(server, worker):
    """Name the worker in its summary lines by gunicorn's spawn counter (pids say nothing to an operator and
    are recycled)."""
    from webapp.kernel.http.route_summary import set_worker_label

    set_worker_label(f"worker-{worker.age}")


def post_worker_init(worker):
    """The app is loaded: its objects and its libraries' (about 270,000: SQLAlchemy, pyarrow, numpy, OpenCV,
    ...) live as long as the worker, so they leave the collector's reach (gc.freeze). Before, each full
    collection walked them all, about 150 ms in the middle of whichever request triggered it (the CSV of
    every searcher's p95, docs/benchmarks.md); now a full collection walks only what requests made."""
    gc.collect()
    gc.freeze()


def worker_exit(server, worker):
    """A worker that stops writes the summary of the hour in progress (its figures live in its memory); the
    quiet routes' day in progress is dropped, not written (webapp/kernel/http/route_summary.py)."""
    from webapp.kernel.http.route_summary import write_all

    write_all()
