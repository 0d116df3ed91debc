"""The job runner (webapp.jobs) on a real redis-server: jobs by dotted path run in the app context, report
progress, are queued once per unique_key, are retried with backoff, and are shown failed with their message
when the retries are spent; a work horse that dies is retried too; a lock keeps two workers apart."""

import pytest
from rq.job import Job

from tests.support.jobs import job_state, run_queued_jobs, running_workers, wait_for, worker_process
from webapp import jobs
from webapp.jobs import queue as job_queue_module
from webapp.jobs.queue import connection
from webapp.jobs.schedule import schedule, tick
from webapp.kernel import config

SAMPLES = "tests.support.job_samples"


def _enqueue(app, *args, **kwargs) -> str:
    with app.app_context():
        return jobs.enqueue(*args, **kwargs)


def _job(app, job_id: str) -> Job:
    with app.app_context():
        return Job.fetch(job_id, connection=connection())


def test_a_job_named_by_its_path_runs_and_reports_progress(app, job_queue):
    job_id = _enqueue(app, f"{SAMPLES}.add", 2, 3, description="Add two numbers")
    assert job_state(app, job_id) == "queued"
    assert run_queued_jobs(app)
    job = _job(app, job_id)
    assert job.get_status().value == "finished"
    assert job.return_value() == 5
    assert job.meta["progress"] == {"done": 2, "total": 2, "message": "added"}
    assert job.description == "Add two numbers"


def test_the_same_unique_key_is_queued_once_until_it_ran(app, job_queue):
    first = _enqueue(app, f"{SAMPLES}.add", 1, 1, description="one", unique_key="sum")
    second = _enqueue(app, f"{SAMPLES}.add", 1, 1, description="one", unique_key="sum")
    assert first == second
    assert job_queue.llen("rq:queue:sightline") == 1
    run_queued_jobs(app)
    third = _enqueue(app, f"{SAMPLES}.add", 1, 1, description="one", unique_key="sum")
    assert third != first
    assert job_state(app, third) == "queued"


def test_a_failing_job_is_retried_then_shown_failed_with_its_message(app, job_queue, monkeypatch):
    monkeypatch.setattr(job_queue_module, "RETRY_BACKOFF", (0, 0, 0, 0))
    job_id = _enqueue(app, f"{SAMPLES}.fail", "the disk is full", description="Fail")
    run_queued_jobs(app)
    job = _job(app, job_id)
    assert job.get_status().value == "failed"
    assert job.retries_left == 0
    assert "RuntimeError: the disk is full" in job.latest_result().exc_string


def test_a_job_that_fails_once_succeeds_on_its_retry(app, job_queue, monkeypatch):
    monkeypatch.setattr(job_queue_module, "RETRY_BACKOFF", (0, 0, 0, 0))
    job_id = _enqueue(app, f"{SAMPLES}.fail_until", "runs", 1, description="Flaky")
    run_queued_jobs(app)
    assert _job(app, job_id).return_value() == "succeeded at run 2"


def test_retries_wait_with_backoff(app, job_queue):
    job_id = _enqueue(app, f"{SAMPLES}.fail", "later", description="Fail")
    run_queued_jobs(app)
    job = _job(app, job_id)
    # The first retry waits RETRY_BACKOFF[0] seconds in the scheduled registry, not lost, not failed.
    assert job.get_status().value == "scheduled"
    assert job.retries_left == app.config["JOB_RETRIES"] - 1


def test_a_dying_work_horse_is_retried_then_failed_with_a_message(app, job_queue, monkeypatch):
    monkeypatch.setitem(app.config, "JOB_RETRIES", 1)
    monkeypatch.setattr(job_queue_module, "RETRY_BACKOFF", (0,))
    job_id = _enqueue(app, f"{SAMPLES}.die", description="Die")
    with worker_process(app) as worker:
        output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output
    job = _job(app, job_id)
    assert job.get_status().value == "failed"
    assert job.retries_left == 0
    assert "Work-horse terminated unexpectedly" in job.latest_result().exc_string


def test_two_workers_never_hold_the_same_lock_at_once(app, job_queue):
    with running_workers(app, 2):
        ids = [
            _enqueue(app, f"{SAMPLES}.hold", "exports", "held", 0.5, description="Hold the lock")
            for _ in range(2)
        ]
        wait_for(lambda: all(job_state(app, job_id) == "finished" for job_id in ids))
    events = [entry.decode().split() for entry in job_queue.lrange("held", 0, -1)]
    assert [kind for kind, _ in events] == ["in", "out", "in", "out"], events
    assert float(events[2][1]) >= float(events[1][1])
    # The two jobs ran in two workers at the same time: the second waited for the lock.
    assert len({_job(app, job_id).worker_name for job_id in ids}) == 2


def test_no_queue_configured_is_said_plainly(app):
    with app.app_context(), pytest.raises(jobs.JobsUnavailable, match="JOBS_REDIS_URL"):
        jobs.enqueue(f"{SAMPLES}.add", 1, 2, description="nowhere")


def test_report_progress_outside_a_job_does_nothing():
    assert jobs.report_progress(1, None, "from a CLI command") is None


def test_the_schedule_queues_each_entry_once_per_period_whatever_the_workers(app, job_queue, monkeypatch):
    monkeypatch.setitem(app.config, "OSM_REFRESH_EVERY", 6 * 3600)
    with app.app_context():
        entries = schedule(app.config)
        assert [(entry.name, entry.func_path, entry.every) for entry in entries] == [
            ("export-check", "webapp.opendata.export_jobs.check_exports", app.config["EXPORT_CHECK_EVERY"]),
            ("osm-refresh", "webapp.cameras.refresh.refresh_job", 6 * 3600),
        ]
        first = tick(entries)
        # A second worker's scheduler in the same period queues nothing.
        assert tick(entries) == []
    assert len(first) == 2
    assert {_job(app, job_id).func_name for job_id in first} == {entry.func_path for entry in entries}
    assert job_queue.ttl("sightline:jobs:schedule:osm-refresh") > 6 * 3600 - 60


def test_the_osm_refresh_is_off_by_default(app):
    assert app.config["OSM_REFRESH_EVERY"] == 0
    assert [entry.name for entry in schedule(app.config)] == ["export-check"]


@pytest.mark.parametrize(
    ("written", "seconds"), [("90", 90), ("45s", 45), ("30m", 1800), ("6h", 21600), ("1d", 86400), ("", 0)]
)
def test_schedule_periods_are_read_with_their_unit(monkeypatch, written, seconds):
    monkeypatch.setenv("OSM_REFRESH_EVERY", written)
    assert config.from_environment()["OSM_REFRESH_EVERY"] == seconds


def test_a_period_that_is_not_a_duration_is_refused(monkeypatch):
    monkeypatch.setenv("EXPORT_CHECK_EVERY", "soon")
    with pytest.raises(ValueError, match="EXPORT_CHECK_EVERY"):
        config.from_environment()
