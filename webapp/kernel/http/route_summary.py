"""The periodic summary that replaces per-request log lines where a line's time would be a report's: for
each period, each route pattern and each process, one line with the count of requests, the count by status
class and latency percentiles (p50, p90, p99, max), written once the period is over. The period is the hour
for ordinary routes and the UTC day for quiet ones (reports, flags, receipts:
webapp.kernel.http.quiet_routes), so that no line tells a report's time finer than its day. When the process
exits it writes the hour in progress, never the day in progress (a line written then would bound a report to
the part of the day before the exit).

Every process keeps its own figures in memory and writes its own lines: gunicorn's workers each write
theirs, labelled `worker-N` where N is gunicorn's spawn counter for the worker (gunicorn.conf.py sets it in
`post_fork`), never the pid (`main` in other servers); an operator adds the lines of an hour up. Nothing
is shared between processes, so the summary needs no store and keeps working when Redis is down.

A line says "3 reports arrived on 14 March (UTC)", never when within the day; "40 map pages between 13:00 and
14:00 UTC" for an ordinary route.
"""

import logging
import math
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

PERIOD_SECONDS = 3600
DAY_SECONDS = 86400
# Latencies kept per hour and route for the percentiles (a uniform sample beyond that: bounded memory).
SAMPLE_SIZE = 2048
# Log records that carry this attribute pass the quiet-route filter (webapp.kernel.http.quiet_routes).
ALLOWED_IN_QUIET_REQUESTS = {"sightline_allowed": True}

logger = logging.getLogger("sightline.access")
_worker_label = "main"


def set_worker_label(label: str) -> None:
    """Name this process in its summary lines (gunicorn.conf.py: `worker-<spawn number>`)."""
    global _worker_label
    _worker_label = label


@dataclass
class RouteFigures:
    """One route's requests in one hour: counts, and a bounded uniform sample of their latencies."""

    count: int = 0
    by_status_class: dict[str, int] = field(default_factory=dict)
    withheld_log_lines: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    longest_ms: float = 0.0

    def add(self, status: int, duration_ms: float) -> None:
        self.count += 1
        status_class = f"{status // 100}xx"
        self.by_status_class[status_class] = self.by_status_class.get(status_class, 0) + 1
        self.longest_ms = max(self.longest_ms, duration_ms)
        if len(self.latencies_ms) < SAMPLE_SIZE:
            self.latencies_ms.append(duration_ms)
        else:  # reservoir sampling: every request has the same chance to be in the sample
            slot = random.randrange(self.count)  # noqa: S311 (a sample, not a secret)
            if slot < SAMPLE_SIZE:
                self.latencies_ms[slot] = duration_ms

    def percentile(self, share: int) -> float:
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[share - 1]

    def describe(self) -> str:
        statuses = " ".join(f"{name}={self.by_status_class[name]}" for name in sorted(self.by_status_class))
        latency = " ".join(f"p{share}={self.percentile(share):.1f}ms" for share in (50, 90, 99))
        text = f"count={self.count} {statuses} {latency} max={self.longest_ms:.1f}ms"
        if self.withheld_log_lines:
            text += f" withheld_log_lines={self.withheld_log_lines}"
        return text


def period_of(at: float, length: int = PERIOD_SECONDS) -> int:
    """The period (as its start, in seconds since the epoch) a moment falls in: its hour, or its UTC day."""
    return math.floor(at / length) * length


class RouteSummary:
    """The figures of one process, by period and route; lines() hands over the periods that are over."""

    def __init__(self):
        self._lock = threading.Lock()
        # (start, length) -> route -> figures; length is PERIOD_SECONDS or DAY_SECONDS.
        self._periods: dict[tuple[int, int], dict[str, RouteFigures]] = {}

    def _figures(self, route: str, at: float, length: int) -> RouteFigures:
        key = (period_of(at, length), length)
        return self._periods.setdefault(key, {}).setdefault(route, RouteFigures())

    def record(self, route: str, status: int, duration_ms: float, at: float, daily: bool = False) -> None:
        """Count one request; `daily` (a quiet route's) in its UTC day, otherwise in its hour."""
        with self._lock:
            self._figures(route, at, DAY_SECONDS if daily else PERIOD_SECONDS).add(status, duration_ms)

    def withhold(self, route: str, at: float) -> None:
        """Count a log line a quiet route did not write (in the day, like the quiet route's requests)."""
        with self._lock:
            self._figures(route, at, DAY_SECONDS).withheld_log_lines += 1

    def lines(self, before: float) -> list[str]:
        """The summary lines of every period that ended at or before `before`, removed from memory."""
        with self._lock:
            done = sorted(key for key in self._periods if sum(key) <= before)
            finished = [(key, self._periods.pop(key)) for key in done]
        return [
            f"summary {_period_text(*key)} {_worker_label} {route} {figures.describe()}"
            for key, routes in finished
            for route, figures in sorted(routes.items())
        ]

    def drop_days_in_progress(self, now: float) -> None:
        """Forget the figures of every day not over at `now` (see the module docstring)."""
        with self._lock:
            for key in [key for key in self._periods if key[1] == DAY_SECONDS and sum(key) > now]:
                del self._periods[key]

    def write(self, before: float) -> None:
        for line in self.lines(before):
            logger.info("%s", line, extra=ALLOWED_IN_QUIET_REQUESTS)


def _period_text(start: int, length: int) -> str:
    moment = datetime.fromtimestamp(start, UTC)
    if length == DAY_SECONDS:
        return moment.strftime("day=%Y-%m-%d")
    return moment.strftime("hour=%Y-%m-%dT%H:00Z")


summary = RouteSummary()
_timer_lock = threading.Lock()
_timer_started = False


def record_request(route: str, status: int, duration_ms: float, daily: bool = False) -> None:
    """Count one request (the access log calls this for every request; `daily` for a quiet route) and make
    sure the hourly writer runs in this process."""
    now = time.time()
    summary.record(route, status, duration_ms, now, daily)
    _start_hourly_writer()


def _start_hourly_writer() -> None:
    global _timer_started
    with _timer_lock:
        if _timer_started:
            return
        _timer_started = True
    threading.Thread(target=_write_every_hour, name="route-summary", daemon=True).start()


def _write_every_hour() -> None:
    while True:
        now = time.time()
        # A second past the hour: every request of the hour that ended has been counted.
        time.sleep(period_of(now) + PERIOD_SECONDS + 1 - now)
        summary.write(before=time.time())


def write_all(days_in_progress: bool = False) -> None:
    """Write everything counted, the hour in progress included (gunicorn's worker_exit hook calls it). The
    day in progress of the quiet routes is dropped unless `days_in_progress` (tests): see the docstring."""
    if not days_in_progress:
        summary.drop_days_in_progress(now=time.time())
    summary.write(before=math.inf)
