"""Moderators see the job queue on /moderate/jobs (and as JSON): queued, running with its progress, done with
its result, failed with its message; never a job's arguments. A real redis-server and a real worker."""

from tests.factories import log_in, make_user
from tests.support.jobs import job_state, running_workers, wait_for
from webapp.jobs import enqueue

SAMPLES = "tests.support.job_samples"


def _enqueue(app, *args, **kwargs) -> str:
    with app.app_context():
        return enqueue(*args, **kwargs)


def _jobs_json(client) -> dict:
    response = client.get("/api/v1/moderation/jobs")
    assert response.status_code == 200
    return {job["id"]: job for job in response.get_json()["jobs"]}


def test_moderators_see_queued_running_done_and_failed_jobs(app, moderator_client, job_queue, monkeypatch):
    monkeypatch.setitem(app.config, "JOB_RETRIES", 0)
    queued = _enqueue(app, f"{SAMPLES}.add", 1, 2, description="Add, not yet run")
    page = moderator_client.get("/moderate/jobs").get_data(as_text=True)
    assert "Add, not yet run" in page and "queued" in page

    with running_workers(app, 1):
        running = _enqueue(app, f"{SAMPLES}.wait_for_word", "word", 30, description="Wait for a word")
        wait_for(lambda: (_jobs_json(moderator_client)[running].get("progress") or {}).get("done") == 1)
        page = moderator_client.get("/moderate/jobs").get_data(as_text=True)
        assert "running" in page and "waiting for the test" in page and 'value="1" max="3"' in page
        job_queue.rpush("word", "hello")
        failed = _enqueue(app, f"{SAMPLES}.fail", "the disk is full", description="Fail on purpose")
        wait_for(lambda: job_state(app, failed) == "failed" and job_state(app, queued) == "finished")

    jobs = _jobs_json(moderator_client)
    assert jobs[running]["status"] == "finished" and jobs[running]["result"] == "heard hello"
    assert jobs[failed]["status"] == "failed"
    assert jobs[failed]["message"] == "RuntimeError: the disk is full"
    page = moderator_client.get("/moderate/jobs").get_data(as_text=True)
    assert "RuntimeError: the disk is full" in page and "heard hello" in page and "failed" in page
    # The description and the function's name only: never the arguments.
    assert all("args" not in job and "kwargs" not in job for job in jobs.values())


def test_a_jobs_arguments_are_not_shown(app, moderator_client, job_queue):
    _enqueue(app, f"{SAMPLES}.add", 40, 2, description="Add two numbers")
    _enqueue(app, f"{SAMPLES}.fail", "argument-text-nobody-may-read", description="Fail")
    page = moderator_client.get("/moderate/jobs").get_data(as_text=True)
    json_text = moderator_client.get("/api/v1/moderation/jobs").get_data(as_text=True)
    assert "argument-text-nobody-may-read" not in page + json_text
    assert "Add two numbers" in page


def test_only_moderators_and_admins_see_the_jobs(app, client, admin_client, job_queue, app_context):
    assert admin_client.get("/moderate/jobs").status_code == 200
    admin_client.post("/logout")
    anonymous = app.test_client()
    assert anonymous.get("/moderate/jobs").status_code == 302
    assert anonymous.get("/api/v1/moderation/jobs").status_code == 401
    reporter = app.test_client()
    log_in(reporter, make_user(role="reporter"))
    assert reporter.get("/moderate/jobs").status_code == 403
    assert reporter.get("/api/v1/moderation/jobs").status_code == 403


def test_without_a_job_queue_the_page_says_so(moderator_client):
    page = moderator_client.get("/moderate/jobs")
    assert page.status_code == 200
    assert "No job queue is configured" in page.get_data(as_text=True)
    response = moderator_client.get("/api/v1/moderation/jobs")
    assert response.status_code == 503
    assert response.get_json()["error"] == "no_job_queue"


def test_a_job_queue_that_does_not_answer_is_a_503(app, moderator_client, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_REDIS_URL", "redis://127.0.0.1:1/0")
    assert moderator_client.get("/moderate/jobs").status_code == 503
    assert moderator_client.get("/api/v1/moderation/jobs").get_json()["error"] == "job_queue_down"


def test_the_review_queue_links_to_the_jobs(moderator_client):
    assert 'href="/moderate/jobs"' in moderator_client.get("/moderate").get_data(as_text=True)
