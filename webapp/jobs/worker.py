"""The worker: RQ's, with every job run inside the app context of an app built once per worker.

RQ's forking Worker runs each job in a child process (a "work horse"): a job that crashes it, or runs past
JOB_TIMEOUT, is marked failed and retried while the worker carries on. Tests use SimpleWorker (no fork, the
same process) through run_queued_jobs.
"""

import os
import uuid

from flask import Flask
from rq import SimpleWorker, Worker

from webapp.jobs.queue import connection, job_queue
from webapp.kernel.extensions import db


class _InAppContext:
    """Runs each job inside a fresh app context of `app`; the job's database session ends with it."""

    app: Flask

    def perform_job(self, job, queue) -> bool:
        with self.app.app_context():
            if self._is_horse:
                # A forked child must not share the parent's pooled database connections.
                db.engine.dispose(close=False)
            return super().perform_job(job, queue)


class AppWorker(_InAppContext, Worker):
    def __init__(self, *args, app: Flask, **kwargs):
        self.app = app
        super().__init__(*args, **kwargs)


class AppSimpleWorker(_InAppContext, SimpleWorker):
    def __init__(self, *args, app: Flask, **kwargs):
        self.app = app
        super().__init__(*args, **kwargs)


def build_worker(app: Flask, simple: bool = False, name: str | None = None) -> Worker:
    with app.app_context():
        redis = connection()
        queue = job_queue(redis)
    worker_class = AppSimpleWorker if simple else AppWorker
    name = name or f"sightline-{os.uname().nodename}-{os.getpid()}"
    return worker_class([queue], connection=redis, app=app, name=name)


def run_queued_jobs(app: Flask, with_scheduler: bool = False) -> bool:
    """Run every job on the queue now, in this process, until it is empty (tests, `flask jobs run`).
    With `with_scheduler`, jobs waiting for a retry whose time has come are queued and run too. True when
    any job ran."""
    worker = build_worker(app, simple=True, name=f"sightline-burst-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    return worker.work(burst=True, with_scheduler=with_scheduler, logging_level="WARNING")
