"""Rate limits of issue 20 (findings 1 and 7): every POST that analyses an uploaded area or route shares one
budget per client; a limited client's body is refused before anything parses it (Flask-WTF's CSRF check read
a form of up to 101 MB first); and gunicorn refuses to start several workers that would each count in their
own memory."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.submit.test_submit_ratelimit import fresh_address
from tests.support.redisserver import _free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Every POST that reads an uploaded area or route (a view marked @reads_own_body).
ANALYSIS_POSTS = [
    "/api/v1/coverage/polygon",
    "/api/v1/coverage/route",
    "/api/v1/coverage/route/corridor",
    "/api/v1/agencies/receivers/area",
    "/api/v1/agencies/receivers/area.csv",
    "/api/v1/agencies/receivers/area.geojson",
    "/agencies/receivers",
    "/feeds/areas",
]


def test_the_list_holds_every_post_that_reads_an_upload(app):
    reading = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if "POST" in rule.methods and getattr(view, "reads_own_body", False):
            for choice in ("csv", "geojson") if "<any(" in rule.rule else (None,):
                reading.add(rule.rule.replace("<any(csv, geojson):fmt>", choice) if choice else rule.rule)
    # A moderator's upload of an audit log reads its own (larger) body too, behind the login: not anonymous
    # analysis, and refused before it is read (tests/searches/test_searches_upload.py).
    assert reading == set(ANALYSIS_POSTS) | {"/moderate/searches/upload"}


def test_every_analysis_post_shares_one_budget_per_client(app_with, db_session):
    app = app_with(RATELIMIT_ENABLED=True, RATELIMIT_ANALYSIS=f"{len(ANALYSIS_POSTS)}/hour")
    client = app.test_client()
    address, other = fresh_address(), fresh_address()
    for path in ANALYSIS_POSTS:
        response = client.post(path, data=b"plain text", environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 415, (path, response.status_code)
    for path in ANALYSIS_POSTS:
        refused = client.post(path, data=b"plain text", environ_base={"REMOTE_ADDR": address})
        assert refused.status_code == 429, path
        assert refused.headers["Retry-After"]
    answer = client.post(ANALYSIS_POSTS[0], data=b"x", environ_base={"REMOTE_ADDR": address}).get_json()
    assert answer["error"] == "rate_limited"
    assert answer["message"] == "You have sent many areas or routes to analyse. Please try later."
    # Another client has its own budget; reading the page is not limited.
    assert client.post(ANALYSIS_POSTS[1], data=b"x", environ_base={"REMOTE_ADDR": other}).status_code == 415
    assert client.get("/agencies/receivers", environ_base={"REMOTE_ADDR": address}).status_code == 200


BIG = 20 * 1024 * 1024


@pytest.mark.parametrize(("path", "limit"), [("/agencies/receivers", "ANALYSIS"), ("/submit", "SUBMIT")])
def test_a_limited_clients_big_post_is_refused_before_its_form_is_parsed(app_with, path, limit):
    app = app_with(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=True, **{f"RATELIMIT_{limit}": "1/hour"})
    client = app.test_client()
    address = fresh_address()
    # The one request of the hour (refused by the CSRF check, but counted).
    assert client.post(path, data={"a": "b"}, environ_base={"REMOTE_ADDR": address}).status_code == 400
    body = io.BytesIO(b"a=" + b"x" * BIG)
    refused = client.post(
        path,
        input_stream=body,
        content_type="application/x-www-form-urlencoded",
        environ_base={"REMOTE_ADDR": address},
    )
    assert refused.status_code == 429
    assert body.tell() == 0  # not one byte of the body was read


def gunicorn(workers: str, **environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("RATELIMIT_", "WEB_"))}
    env.update(SECRET_KEY="test", BIND=f"127.0.0.1:{_free_port()}", **environment)
    return subprocess.run(
        [Path(sys.executable).parent / "gunicorn", "-c", "gunicorn.conf.py", "--workers", workers]
        + ["webapp:create_app()"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_gunicorn_refuses_two_workers_counting_in_memory():
    finished = gunicorn("2")
    assert finished.returncode == 1
    assert "2 workers would each keep rate-limit counters of their own in memory" in finished.stderr
    assert "RATELIMIT_STORAGE_URI" in finished.stderr


@pytest.mark.parametrize(
    ("settings", "workers", "refused"),
    [
        ({}, 2, True),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, 5, True),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, 1, False),
        ({"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": False}, 5, False),
        ({"RATELIMIT_STORAGE_URI": "redis://redis:6379/0"}, 5, False),
    ],
)
def test_which_settings_are_refused(settings, workers, refused):
    from webapp.kernel.http.ratelimit import check_counters_shared

    if refused:
        with pytest.raises(RuntimeError, match="memory"):
            check_counters_shared(settings, workers)
    else:
        check_counters_shared(settings, workers)
