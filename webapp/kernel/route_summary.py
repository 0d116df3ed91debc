"""The periodic summary that replaces per-request log lines where a line's time would be a report's: for
each hour, each route pattern and each process, one line with the count of requests, the count by status
class and latency percentiles (p50, p90, p99, max), written once the hour is over (and, for the hour in
progress, when the process exits).

Every process keeps its own figures in memory and writes its own lines: gunicorn's workers each write
theirs, labelled `worker-N` where N is gunicorn's spawn counter for the worker (gunicorn.conf.py sets it in
`post_fork`), never the pid (`main` in other servers); an operator adds the lines of an hour up. Nothing
is shared between processes, so the summary needs no store and keeps working when Redis is down.

A line says "3 reports arrived between 13:00 and 14:00 UTC", never when within the hour.
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
# Latencies kept per hour and route for the percentiles (a uniform sample beyond that: bounded memory).
SAMPLE_SIZE = 2048
# Log records that carry this attribute pass the quiet-route filter (webapp.kernel.quiet_routes).
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


def period_of(at: float) -> int:
    """The hour (as its start, in seconds since the epoch) a moment falls in."""
    return math.floor(at / PERIOD_SECONDS) * PERIOD_SECONDS


class RouteSummary:
    """The figures of one process, by hour and route; lines() hands over the hours that are over."""

    def __init__(self):
        self._lock = threading.Lock()
        self._hours: dict[int, dict[str, RouteFigures]] = {}

    def _figures(self, route: str, at: float) -> RouteFigures:
        return self._hours.setdefault(period_of(at), {}).setdefault(route, RouteFigures())

    def record(self, route: str, status: int, duration_ms: float, at: float) -> None:
        with self._lock:
            self._figures(route, at).add(status, duration_ms)

    def withhold(self, route: str, at: float) -> None:
        """Count a log line a quiet route did not write."""
        with self._lock:
            self._figures(route, at).withheld_log_lines += 1

    def lines(self, before: float) -> list[str]:
        """The summary lines of every hour that ended at or before `before`, removed from memory."""
        with self._lock:
            done = sorted(hour for hour in self._hours if hour + PERIOD_SECONDS <= before)
            finished = [(hour, self._hours.pop(hour)) for hour in done]
        return [
            f"summary hour={_hour_text(hour)} {_worker_label} {route} {figures.describe()}"
            for hour, routes in finished
            for route, figures in sorted(routes.items())
        ]

    def write(self, before: float) -> None:
        for line in self.lines(before):
            logger.info("%s", line, extra=ALLOWED_IN_QUIET_REQUESTS)


def _hour_text(hour: int) -> str:
    return datetime.fromtimestamp(hour, UTC).strftime("%Y-%m-%dT%H:00Z")


summary = RouteSummary()
_timer_lock = threading.Lock()
_timer_started = False


def record_request(route: str, status: int, duration_ms: float) -> None:
    """Count one request (the access log calls this for every request) and make sure the hourly writer
    runs in this process."""
    now = time.time()
    summary.record(route, status, duration_ms, now)
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


def write_all() -> None:
    """Write everything counted, the hour in progress included (gunicorn's worker_exit hook calls it)."""
    summary.write(before=math.inf)
