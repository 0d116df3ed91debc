"""Jobs for the tests of webapp.jobs, enqueued by dotted path like any other."""

import os
import time

from webapp.jobs import exclusive, report_progress
from webapp.jobs.queue import connection


def add(a: int, b: int) -> int:
    report_progress(1, 2, "half way")
    report_progress(2, 2, "added")
    return a + b


def fail(message: str) -> None:
    raise RuntimeError(message)


def die() -> None:
    """The work horse's process ends without a word (as when the kernel kills it)."""
    os._exit(9)


def fail_until(key: str, failures: int) -> str:
    """Fails the first `failures` times it runs (counted in Redis), then succeeds."""
    runs = connection().incr(key)
    if runs <= failures:
        raise RuntimeError(f"run {runs} failed")
    return f"succeeded at run {runs}"


def hold(name: str, log_key: str, seconds: float) -> None:
    """Holds the lock `name` for `seconds`, writing when it got it and when it let go into a Redis list."""
    with exclusive(name):
        connection().rpush(log_key, f"in {time.time()}")
        time.sleep(seconds)
        connection().rpush(log_key, f"out {time.time()}")
