"""`flask jobs worker`: the worker (and its scheduler) that `make run` and compose's `worker` service run;
`flask jobs run`: every queued job now, in this process."""

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.jobs.schedule import Scheduler
from webapp.jobs.worker import build_worker, run_queued_jobs

cli = AppGroup("jobs", help="The job queue: its worker and scheduler.")


@cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@click.option("--no-scheduler", is_flag=True, help="Do not enqueue the periodic jobs (another worker does).")
def worker_command(burst: bool, no_scheduler: bool) -> None:
    """Run the jobs of the queue, each in a child process in the app context, retrying failed ones with
    backoff; and (unless --no-scheduler) enqueue the periodic jobs: the export check, the OSM refresh."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    app = current_app._get_current_object()
    scheduler = None if no_scheduler or burst else Scheduler(app)
    if scheduler is not None:
        scheduler.start()
    try:
        build_worker(app).work(burst=burst, with_scheduler=True, logging_level="INFO")
    finally:
        if scheduler is not None:
            scheduler.stop()


@cli.command("run")
def run_command() -> None:
    """Run every queued job now, in this process, then stop (for operators without a worker)."""
    if not run_queued_jobs(current_app._get_current_object()):
        click.echo("jobs: the queue was empty")
