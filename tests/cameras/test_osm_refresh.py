"""`flask cameras refresh` against an Overpass stand-in: a real HTTP server on 127.0.0.1, started in the test,
answering in turn what each test queues (a recorded answer, a 429 with Retry-After, no answer in time, a body
cut short, an Overpass error remark). The refresh runs the complete import, so nothing is written unless an
answer is whole."""

import contextlib
import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from sqlalchemy import text

from tests.support.rows import camera_count
from webapp.cameras.overpass import retry_after
from webapp.cameras.refresh import refresh_job
from webapp.kernel.extensions import db

RECORDED = (Path(__file__).resolve().parents[1] / "data" / "overpass_us_alpr.json").read_bytes()


class OverpassStandIn:
    """Answers each POST with the next queued answer (the last one repeats), and keeps what it was sent."""

    def __init__(self, *answers: Callable):
        self.answers = list(answers)
        self.requests: list[dict] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stand_in.requests.append(
                    {"at": time.monotonic(), "headers": dict(self.headers), "form": parse_qs(body.decode())}
                )
                answer = stand_in.answers.pop(0) if len(stand_in.answers) > 1 else stand_in.answers[0]
                answer(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/interpreter"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def send(handler, status: int, body: bytes, headers: dict | None = None, length: int | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()


def recorded(handler):
    send(handler, 200, RECORDED)


def too_many_requests(seconds: str):
    def answer(handler):
        send(handler, 429, b'{"error": "rate_limited"}', {"Retry-After": seconds})

    return answer


def too_slow(handler):
    time.sleep(1.5)  # longer than OVERPASS_TIMEOUT below
    with contextlib.suppress(OSError):  # the client has hung up
        send(handler, 200, RECORDED)


def cut_short(handler):
    # Says the whole answer is coming, sends two thirds of it and closes the connection.
    send(handler, 200, RECORDED[: len(RECORDED) * 2 // 3], length=len(RECORDED))
    handler.close_connection = True


def with_error_remark(handler):
    document = json.loads(RECORDED)
    document["elements"] = document["elements"][:1]
    document["remark"] = 'runtime error: Query timed out in "query" at line 3 after 301 seconds.'
    send(handler, 200, json.dumps(document).encode())


@pytest.fixture
def overpass(app, monkeypatch):
    """Point the app at a stand-in answering `answers`; short timeouts and waits."""

    def start(*answers, retries: int = 2) -> OverpassStandIn:
        stand_in = OverpassStandIn(*answers)
        for key, value in {
            "OVERPASS_URL": stand_in.url,
            "OVERPASS_TIMEOUT": 0.5,
            "OVERPASS_RETRIES": retries,
            "OVERPASS_BACKOFF": 0.05,
            "OVERPASS_MAX_WAIT": 5.0,
            "INSTANCE_NAME": "sightline.test",
        }.items():
            monkeypatch.setitem(app.config, key, value)
        return stand_in

    return start


def refresh(runner):
    return runner.invoke(args=["cameras", "refresh"])


def test_the_recorded_answer_is_imported_completely_and_a_second_refresh_changes_nothing(
    runner, app_context, overpass
):
    with overpass(recorded) as stand_in:
        first = refresh(runner)
        second = refresh(runner)

    assert first.exit_code == 0, first.output
    assert "created          4" in first.output
    assert "unchanged        4" in second.output
    assert camera_count() == 4
    sent = stand_in.requests[0]
    assert "sightline.test" in sent["headers"]["User-Agent"]
    assert 'nwr["man_made"="surveillance"]["surveillance:type"="ALPR"]' in sent["form"]["data"][0]
    way = db.session.execute(
        text("SELECT vendor, operator FROM cameras WHERE osm_type = 'way' AND osm_id = 1198805521")
    ).one()
    assert way == ("flock-safety", "Denver Police Department")
    run = db.session.execute(
        text("SELECT source_name, data_date, complete_scope FROM osm_import_runs ORDER BY id DESC LIMIT 1")
    ).one()
    assert run.source_name.startswith("Overpass API (127.0.0.1:")
    assert run.data_date == datetime(2026, 11, 30, 18, 4, 27, tzinfo=UTC)
    assert run.complete_scope == "file"
    # The mappers' names and ids in Overpass's metadata are kept nowhere.
    stored = db.session.scalar(
        text("SELECT string_agg(row_to_json(e)::text, '') FROM osm_elements e")
    ) + db.session.scalar(text("SELECT string_agg(row_to_json(c)::text, '') FROM cameras c"))
    assert "mapper_alpha" not in stored and "21004417" not in stored


def test_a_camera_osm_no_longer_has_is_queued_as_gone(runner, app_context, overpass):
    with overpass(recorded):
        assert refresh(runner).exit_code == 0
    fewer = json.loads(RECORDED)
    fewer["elements"] = fewer["elements"][1:]
    with overpass(lambda handler: send(handler, 200, json.dumps(fewer).encode())):
        result = refresh(runner)
    assert result.exit_code == 0, result.output
    assert "cameras gone from OpenStreetMap: queued for review" in result.output


def test_a_429_is_asked_again_after_its_retry_after(runner, app_context, overpass):
    with overpass(too_many_requests("1"), recorded) as stand_in:
        result = refresh(runner)

    assert result.exit_code == 0, result.output
    assert "HTTP 429; asking again in 1 s" in result.output
    first, second = stand_in.requests
    assert second["at"] - first["at"] >= 1.0
    assert camera_count() == 4


def test_retry_after_as_seconds_or_a_date():
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert retry_after("120") == 120
    assert retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after("soon") is None and retry_after(None) is None


def test_no_answer_in_time_is_asked_again(runner, app_context, overpass):
    with overpass(too_slow, recorded) as stand_in:
        result = refresh(runner)

    assert result.exit_code == 0, result.output
    assert "no answer within 0.5 s" in result.output
    assert len(stand_in.requests) == 2 and camera_count() == 4


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (too_slow, "no answer within 0.5 s"),
        (cut_short, "the answer was cut short"),
        (lambda handler: send(handler, 200, RECORDED[:400]), "is not JSON (or is cut short)"),
        (with_error_remark, "Overpass reported an error: runtime error: Query timed out"),
        (too_many_requests("0"), "HTTP 429"),
    ],
    ids=["timeout", "truncated", "cut-json", "error-remark", "429"],
)
def test_when_every_attempt_fails_nothing_is_written_and_the_reason_is_given(
    runner, app_context, overpass, answer, reason
):
    with overpass(answer, retries=1) as stand_in:
        result = refresh(runner)

    assert result.exit_code == 1
    assert "gave no usable answer in 2 attempts" in result.output
    assert reason in result.output
    assert "nothing was imported" in result.output
    assert len(stand_in.requests) == 2
    assert camera_count() == 0
    assert db.session.scalar(text("SELECT count(*) FROM osm_import_runs")) == 0


def test_a_refused_query_is_not_asked_again(runner, app_context, overpass):
    with overpass(lambda handler: send(handler, 400, b"Error: line 1: parse error")) as stand_in:
        result = refresh(runner)
    assert result.exit_code == 1
    assert "refused the query: HTTP 400" in result.output
    assert len(stand_in.requests) == 1


def test_the_scheduled_job_commits_and_reports_progress(app_context, overpass):
    heard = []
    with overpass(recorded):
        lines = refresh_job(progress=heard.append)
    assert "created          4" in lines
    assert any("attempt 1 of 3" in message for message in heard)
    assert camera_count() == 4


def test_the_scheduled_refresh_queues_the_agency_matcher(app, job_queue, overpass, db_session):
    from webapp.cameras.after_import import MATCH_JOB
    from webapp.jobs.queue import job_queue as the_queue

    with app.app_context(), overpass(recorded):
        refresh_job()
        queued = [job.func_name for job in the_queue().jobs]
    assert queued == [MATCH_JOB]
