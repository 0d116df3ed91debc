"""A moderator's upload of an audit log from the web (issue 21, item 1): moderators only, CSRF checked,
size capped while it streams in, provenance checked, then the import runs as a background job (run here by a
real RQ worker on a real redis-server) whose page shows its progress and answer; the uploaded file is gone
afterwards, whatever happened."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.factories import log_in, make_user
from tests.support.agencies import make_agency
from tests.support.jobs import run_queued_jobs
from tests.support.search_answer_logs import NETWORK_ROWS, write_log
from webapp.kernel.extensions import db

FORM = {
    "kind": "network",
    "title": "Records request 2025-200",
    "url": "https://records.example.org/2025-200",
    "received": "2025-06-01",
}


def csrf_token(client) -> str:
    page = client.get("/moderate/searches/upload").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def upload(client, body: bytes, file_name: str = "network_june.csv", token: str | None = None, **fields):
    data = {**FORM, **fields, "file": (io.BytesIO(body), file_name)}
    if token is not None:
        data["csrf_token"] = token
    return client.post("/moderate/searches/upload", data=data, content_type="multipart/form-data")


@pytest.fixture
def log_bytes(tmp_path) -> bytes:
    return write_log(tmp_path / "network_june.csv", list(NETWORK_ROWS)).read_bytes()


def uploaded_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"]) / "search-logs"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_only_moderators_may_upload(client, app_context, log_bytes):
    assert client.get("/moderate/searches/upload").status_code in (302, 401)
    assert upload(client, log_bytes).status_code in (302, 401, 403)
    log_in(client, make_user())
    assert client.get("/moderate/searches/upload").status_code == 403
    assert upload(client, log_bytes).status_code == 403


def test_an_upload_is_imported_by_a_job_with_its_progress_shown(app, moderator_client, job_queue, log_bytes):
    owner = make_agency("Uploadville Police Department", state="TX")
    token = csrf_token(moderator_client)
    response = upload(moderator_client, log_bytes, token=token, agency=str(owner.id))
    assert response.status_code == 303, response.get_data(as_text=True)
    status_url = response.headers["Location"]
    queued = moderator_client.get(status_url).get_data(as_text=True)
    assert 'data-status="queued"' in queued and 'http-equiv="refresh"' in queued
    assert len(uploaded_files(app)) == 1
    run_queued_jobs(app)
    done = moderator_client.get(status_url).get_data(as_text=True)
    assert 'data-status="finished"' in done, done
    assert "network_june.csv" in done and "10 stored" in done
    assert uploaded_files(app) == []
    stored = db.session.execute(
        text(
            "SELECT f.title, f.url, f.received_on::text, f.file_name, l.searches FROM search_log_files AS f "
            "JOIN search_logs AS l ON l.id = f.log_id WHERE l.owner_agency_id = :owner"
        ),
        {"owner": owner.id},
    ).one()
    assert tuple(stored) == (FORM["title"], FORM["url"], FORM["received"], "network_june.csv", 10)


def test_a_file_the_import_refuses_is_the_jobs_answer(app, moderator_client, job_queue):
    owner = make_agency("Refusedville Police Department", state="TX")
    body = b"Name,Org Name,Search Time\n***,Austin PD,01/05/2025\n"
    response = upload(moderator_client, body, token=csrf_token(moderator_client), agency=str(owner.id))
    assert response.status_code == 303
    run_queued_jobs(app)
    done = moderator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="job-refused"' in done and "Reason" in done
    assert uploaded_files(app) == []


def test_without_the_csrf_token_nothing_is_kept(app, moderator_client, job_queue, log_bytes):
    owner = make_agency("Forgedville Police Department", state="TX")
    response = upload(moderator_client, log_bytes, agency=str(owner.id))
    assert response.status_code == 403
    assert uploaded_files(app) == []
    assert job_queue.keys("rq:job:*") == []


@pytest.mark.parametrize(
    ("fields", "file_name", "field"),
    [
        ({"kind": "city"}, "a.csv", "kind"),
        ({"received": "2025-13-01"}, "a.csv", "received"),
        ({"url": "javascript:alert(1)"}, "a.csv", "url"),
        ({"title": ""}, "a.csv", "title"),
        ({}, "log.pdf", "file"),
    ],  # fmt: skip
)
def test_bad_provenance_is_refused_and_nothing_is_kept(
    app, moderator_client, log_bytes, fields, file_name, field
):
    token = csrf_token(moderator_client)
    response = upload(moderator_client, log_bytes, file_name, token=token, agency="1", **fields)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert uploaded_files(app) == []


def test_the_size_cap_holds_while_the_file_streams_in(app, app_with, log_bytes, db_session):
    small = app_with(SEARCH_LOG_UPLOAD_BYTES=1024)
    with small.app_context():
        moderator = make_user(role="moderator")
        client = small.test_client()
        log_in(client, moderator)
        token = csrf_token(client)
        response = upload(client, log_bytes * 10, token=token, agency="1")
        assert response.status_code == 413
        assert uploaded_files(small) == []
