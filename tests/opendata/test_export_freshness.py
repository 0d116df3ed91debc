"""The export files follow the data with nothing run by hand: the scheduler's tick queues the export check,
which queues the writing job when the data changed (every writer: a moderator, raw SQL); no change, no
rewrite; two workers never write the exports at once."""

import csv
import io

from rq.job import Job
from sqlalchemy import text

from tests.factories import make_camera, make_sighting
from tests.support.jobs import job_state, run_queued_jobs, running_workers, wait_for
from webapp.jobs import enqueue
from webapp.jobs.queue import connection
from webapp.jobs.schedule import TICK_PREFIX, schedule, tick
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import db
from webapp.opendata.export_files import data_fingerprint, export_folder, read_manifest, write_exports
from webapp.opendata.export_jobs import WRITE_JOB


def _scheduler_tick(app, job_queue) -> None:
    """One tick of the scheduler as the worker runs it, then the worker until the queue is empty. The
    previous tick's period is over (as it would be EXPORT_CHECK_EVERY seconds later)."""
    for key in job_queue.scan_iter(TICK_PREFIX + "*"):
        job_queue.delete(key)
    with app.app_context():
        assert tick(schedule(app.config))
    run_queued_jobs(app)


def _csv_ids(client) -> set[int]:
    response = client.get("/api/v1/cameras.csv")
    assert response.status_code == 200
    return {int(row["id"]) for row in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}


def test_a_camera_a_moderator_verifies_reaches_the_csv_after_one_tick(app, moderator_client, job_queue):
    sighting = make_sighting(-87.63, 41.88)
    commit()
    _scheduler_tick(app, job_queue)
    before = read_manifest(export_folder())
    assert before is not None and _csv_ids(moderator_client) == set()

    response = moderator_client.post(
        f"/moderate/sightings/{sighting.id}/verify",
        data={"lat": "41.88", "lon": "-87.63", "vendor": "flock-safety", "directions": "90"},
    )
    assert response.status_code == 303
    db.session.refresh(sighting)
    _scheduler_tick(app, job_queue)
    assert _csv_ids(moderator_client) == {sighting.camera_id}
    after = read_manifest(export_folder())
    assert after["fingerprint"] != before["fingerprint"]

    # Nothing changed: the check queues nothing and no file is rewritten.
    _scheduler_tick(app, job_queue)
    assert read_manifest(export_folder()) == after
    with app.app_context():
        queued = Job.fetch_many(job_queue_ids(job_queue), connection=connection())
    assert all(job is None or job.func_name != WRITE_JOB for job in queued)


def job_queue_ids(job_queue) -> list[str]:
    return [entry.decode() for entry in job_queue.lrange("rq:queue:sightline", 0, -1)]


def test_a_raw_sql_update_that_leaves_version_and_updated_at_is_exported(app, app_context, job_queue):
    camera = make_camera(vendor="flock-safety")
    commit()
    write_exports()
    db.session.execute(
        text("UPDATE cameras SET vendor = 'motorola-solutions' WHERE id = :id"), {"id": camera.id}
    )
    commit()
    _scheduler_tick(app, job_queue)
    body = (export_folder() / read_manifest(export_folder())["files"]["csv"]["file"]).read_text()
    assert "motorola-solutions" in body


def test_a_statement_that_changes_no_camera_changes_no_version(app_context):
    version = db.session.scalar(text("SELECT coalesce(sum(changes), 0) FROM data_changes"))
    db.session.execute(text("UPDATE cameras SET vendor = 'x' WHERE false"))
    assert db.session.scalar(text("SELECT coalesce(sum(changes), 0) FROM data_changes")) == version
    make_camera()
    assert db.session.scalar(text("SELECT coalesce(sum(changes), 0) FROM data_changes")) == version + 1


def test_folding_the_changes_keeps_the_version(app_context):
    for _ in range(3):
        make_camera()
    version = data_fingerprint()
    db.session.execute(text("SELECT data_changes_fold('cameras')"))
    rows = db.session.execute(text("SELECT changes FROM data_changes WHERE subject = 'cameras'")).all()
    assert len(rows) == 1 and data_fingerprint() == version


def test_a_rolled_back_change_and_a_later_one_are_two_versions(app_context):
    before = data_fingerprint()
    savepoint = db.session.begin_nested()
    make_camera()
    rolled_back = data_fingerprint()
    savepoint.rollback()
    make_camera()
    assert len({before, rolled_back, data_fingerprint()}) == 3


def test_two_workers_given_the_export_twice_write_it_once(app, committing_db, job_queue):
    with app.app_context():
        make_camera()
        commit()
    with running_workers(app, 2):
        with app.app_context():
            # Queued twice on purpose (no unique_key): only the lock keeps the two writers apart.
            ids = [enqueue(WRITE_JOB, description="Write the export files") for _ in range(2)]
        wait_for(lambda: all(job_state(app, job_id) == "finished" for job_id in ids), seconds=90)
    with app.app_context():
        jobs = [Job.fetch(job_id, connection=connection()) for job_id in ids]
    assert len({job.worker_name for job in jobs}) == 2
    assert sorted(job.return_value()[:20] for job in jobs) == ["nothing had changed", "written: cameras of "]
    assert read_manifest_in(app) is not None


def read_manifest_in(app):
    with app.app_context():
        return read_manifest(export_folder())


def test_a_visitors_flag_hiding_photos_changes_no_version(app_context):
    """Flags are a visitor's action: the export files (their times, the jobs writing them, the worker's log)
    must not follow one. Hiding a camera's photos changes nothing the exports hold."""
    camera = make_camera()
    before = data_fingerprint()
    db.session.execute(
        text(
            "UPDATE cameras SET photos_hidden = true, version = version + 1, updated_at = now() "
            "WHERE id = :id"
        ),
        {"id": camera.id},
    )
    assert data_fingerprint() == before
    db.session.execute(text("UPDATE cameras SET mount = 'pole' WHERE id = :id"), {"id": camera.id})
    assert data_fingerprint() != before
