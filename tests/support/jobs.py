"""Jobs run for real in tests: a redis-server of the test session, the app pointed at it, and the queue's
jobs run by a worker in this process.

    def test_something(app, job_queue):            # fixtures from tests/conftest.py
        with app.app_context():
            jobs.enqueue("webapp.x.y.job", description="...")
        run_queued_jobs(app)                       # RQ's SimpleWorker, burst mode: until the queue is empty
        assert job_state(app, job_id) == "finished"

Jobs run in this process see what the test's session sees (its rolled-back transaction included); for
worker processes of their own, use `committing_db` and `worker_process`.
"""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from pathlib import Path

from rq import Worker
from rq.job import Job

from webapp.jobs.queue import connection
from webapp.jobs.worker import run_queued_jobs

PROJECT_ROOT = Path(__file__).resolve().parents[2]

__all__ = ["job_state", "run_queued_jobs", "running_workers", "wait_for", "worker_process"]


def job_state(app, job_id: str) -> str:
    with app.app_context():
        return Job.fetch(job_id, connection=connection()).get_status().value


@contextmanager
def worker_process(app, *extra: str, env: dict | None = None):
    """`flask jobs worker` as a process of its own, on the app's database and job queue (burst by default:
    pass extra arguments to change that); yields the Popen."""
    environment = {
        **os.environ,
        "FLASK_APP": "webapp",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "JOBS_REDIS_URL": app.config["JOBS_REDIS_URL"],
        "EXPORT_DIR": str(app.config["EXPORT_DIR"]),
        "UPLOAD_DIR": str(app.config["UPLOAD_DIR"]),
        "SECRET_KEY": "test-secret-key",
        "RELEASE_EVERY_DAYS": "0",
        **(env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "jobs", "worker", *(extra or ("--burst",))],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still not true after {seconds} s"
        time.sleep(0.05)


@contextmanager
def running_workers(app, count: int):
    """`count` worker processes, each registered and waiting on the queue before the block starts (so that
    jobs queued in the block are taken at the same time); stopped after it. Yields the Popens."""
    with ExitStack() as stack:
        workers = [stack.enter_context(worker_process(app, "--no-scheduler")) for _ in range(count)]
        with app.app_context():
            redis = connection()
        wait_for(lambda: len(Worker.all(connection=redis)) == count)
        yield workers
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.communicate(timeout=30)
