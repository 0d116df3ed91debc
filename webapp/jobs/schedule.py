"""Periodic work, by dotted path: the export check every EXPORT_CHECK_EVERY seconds, when OSM_REFRESH_EVERY
is set the OpenStreetMap refresh, and hourly the data release when one is due. Each worker runs the
schedule in a thread; a Redis key per entry and period lets only one of them enqueue it, and the entry's
unique_key keeps it from being queued twice while it is still to run or running."""

import logging
import threading
import time
from dataclasses import dataclass

from flask import Flask

from webapp.jobs.queue import connection, enqueue

logger = logging.getLogger(__name__)
TICK_PREFIX = "sightline:jobs:schedule:"
RELEASE_CHECK_SECONDS = 3600


@dataclass(frozen=True)
class Periodic:
    name: str
    func_path: str
    description: str
    every: int  # seconds; 0 switches the entry off
    result_ttl: int | None = None  # None: JOB_KEEP_SECONDS


def schedule(config) -> list[Periodic]:
    """The periodic jobs of this configuration (entries switched off left out)."""
    entries = [
        # A cheap comparison of each export set's data with its files; it queues the writing job (which
        # moderators see) only when they differ, so the check itself is not kept.
        Periodic(
            "export-check",
            "webapp.opendata.export_jobs.check_exports",
            "Check whether the export files follow the data",
            config["EXPORT_CHECK_EVERY"],
            result_ttl=0,
        ),
        Periodic(
            "osm-refresh",
            "webapp.cameras.refresh.refresh_job",
            "Refresh the cameras from OpenStreetMap",
            config["OSM_REFRESH_EVERY"],
        ),
        # Hourly, the release job makes a release only when the latest is RELEASE_EVERY_DAYS old (the
        # database says when, so a restarted Redis or worker never makes an extra one).
        Periodic(
            "release",
            "webapp.releases.making.release_if_due",
            "Make the data release when one is due",
            RELEASE_CHECK_SECONDS if config["RELEASE_EVERY_DAYS"] > 0 else 0,
        ),
    ]
    return [entry for entry in entries if entry.every > 0]


def tick(entries: list[Periodic]) -> list[str]:
    """Enqueue each entry whose period has begun and that no worker enqueued in it yet; the ids queued."""
    redis = connection()
    queued = []
    for entry in entries:
        if redis.set(TICK_PREFIX + entry.name, int(time.time()), nx=True, ex=entry.every):
            queued.append(
                enqueue(
                    entry.func_path,
                    description=entry.description,
                    unique_key=entry.name,
                    result_ttl=entry.result_ttl,
                )
            )
    return queued


class Scheduler(threading.Thread):
    """`Scheduler(app).start()`: ticks every second until stop()."""

    def __init__(self, app: Flask, interval: float = 1.0):
        super().__init__(name="sightline-scheduler", daemon=True)
        self.app = app
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        with self.app.app_context():
            entries = schedule(self.app.config)
            logger.info(
                "scheduler: %s", ", ".join(f"{e.name} every {e.every} s" for e in entries) or "nothing"
            )
            while not self._stop_event.is_set():
                try:
                    tick(entries)
                except Exception:  # Redis restarting: the next tick tries again
                    logger.exception("scheduler: tick failed; trying again")
                self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
