"""The hourly summary that replaces per-request lines on quiet routes, and the once-a-minute error line."""

import logging
import socket
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.support.submissions import submission
from webapp.kernel.extensions import db
from webapp.kernel.http import quiet_routes, route_summary
from webapp.kernel.http.route_summary import PERIOD_SECONDS, RouteSummary

HOUR = datetime(2026, 3, 14, 13, tzinfo=UTC).timestamp()


def test_each_hour_is_written_once_it_is_over_with_counts_and_percentiles():
    summary = RouteSummary()
    for offset, status, duration in ((5, 201, 100.0), (1800, 201, 300.0), (3599, 429, 2.0)):
        summary.record("POST /api/v1/sightings", status, duration, HOUR + offset)
    summary.record("GET /privacy", 200, 1.0, HOUR + 60)
    summary.record("POST /api/v1/sightings", 201, 50.0, HOUR + PERIOD_SECONDS + 1)

    assert summary.lines(before=HOUR + PERIOD_SECONDS - 1) == []  # the hour is not over
    lines = summary.lines(before=HOUR + PERIOD_SECONDS)
    assert lines == [
        "summary hour=2026-03-14T13:00Z main GET /privacy count=1 2xx=1 "
        "p50=1.0ms p90=1.0ms p99=1.0ms max=1.0ms",
        "summary hour=2026-03-14T13:00Z main POST /api/v1/sightings count=3 2xx=2 4xx=1 "
        "p50=100.0ms p90=260.0ms p99=296.0ms max=300.0ms",
    ]
    # Written once: the next call has only the following hour, once that is over too.
    assert summary.lines(before=HOUR + PERIOD_SECONDS) == []
    (line,) = summary.lines(before=HOUR + 2 * PERIOD_SECONDS)
    assert line.startswith("summary hour=2026-03-14T14:00Z main POST /api/v1/sightings count=1 2xx=1 ")


def test_quiet_routes_are_counted_by_day_and_a_stopping_process_drops_the_day_in_progress():
    """Issue 20: "3 reports in hour 11:00Z" told a report's hour; a quiet route's line names its UTC day."""
    summary = RouteSummary()
    day = datetime(2026, 3, 14, tzinfo=UTC).timestamp()
    for offset in (5, 11 * PERIOD_SECONDS + 1, 23 * PERIOD_SECONDS):
        summary.record("POST /api/v1/sightings", 201, 10.0, day + offset, daily=True)
    summary.withhold("POST /api/v1/sightings", day + 12 * PERIOD_SECONDS)
    summary.record("GET /privacy", 200, 1.0, day + 60)

    # The hour is over: the ordinary route's line is written, the quiet route's waits for its day.
    assert [line.split(" main ")[1].split(" count=")[0] for line in summary.lines(before=day + 3600)] == [
        "GET /privacy"
    ]
    assert summary.lines(before=day + route_summary.DAY_SECONDS - 1) == []
    (line,) = summary.lines(before=day + route_summary.DAY_SECONDS)
    assert line.startswith("summary day=2026-03-14 main POST /api/v1/sightings count=3 2xx=3 "), line
    assert line.endswith(" withheld_log_lines=1")
    assert "hour=" not in line and "T11" not in line

    # A process that stops writes its hour in progress, never a day in progress (the exit's time would
    # bound the reports to the part of the day before it), and keeps nothing of it.
    summary.record("POST /api/v1/sightings", 201, 10.0, day + 86400 + 5, daily=True)
    summary.record("GET /privacy", 200, 1.0, day + 86400 + 5)
    summary.drop_days_in_progress(now=day + 86400 + 10)
    (line,) = summary.lines(before=float("inf"))
    assert " GET /privacy " in line
    assert summary.lines(before=float("inf")) == []


def test_the_sample_of_latencies_stays_bounded():
    summary = RouteSummary()
    for number in range(3 * route_summary.SAMPLE_SIZE):
        summary.record("GET /tiles/<int:z>/<int:x>/<int:y>.pbf", 200, float(number % 100), HOUR)
    (line,) = summary.lines(before=HOUR + PERIOD_SECONDS)
    assert f"count={3 * route_summary.SAMPLE_SIZE} 2xx={3 * route_summary.SAMPLE_SIZE} " in line
    assert "max=99.0ms" in line


def test_a_report_through_the_app_is_counted_and_logged_only_in_the_summary(client, app_context, caplog):
    route_summary.write_all(days_in_progress=True)  # start empty: earlier tests' requests are written out
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="sightline.access"):
        assert client.post("/api/v1/sightings", data=submission()).status_code == 201
        assert client.get("/privacy").status_code == 200
        assert [record.getMessage() for record in caplog.records] == [
            record.getMessage() for record in caplog.records if "/privacy" in record.getMessage()
        ]
        route_summary.write_all(days_in_progress=True)
    lines = [record.getMessage() for record in caplog.records if record.getMessage().startswith("summary")]
    assert any(
        line.startswith("summary day=") and " POST /api/v1/sightings count=1 2xx=1 " in line for line in lines
    ), lines
    assert any(" GET /privacy count=1 2xx=1 " in line for line in lines), lines


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_error_on_a_quiet_route_logs_its_class_and_route_once_a_minute(app_with, caplog):
    app = app_with(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/x")
    client = app.test_client()
    quiet_routes._last_error_line.clear()  # another test's error on the same route may be under a minute old
    route_summary.write_all(days_in_progress=True)  # and its requests may be in this day's figures
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        for _ in range(3):
            assert client.post("/api/v1/sightings", data=submission()).status_code == 503
        assert client.get("/api/v1/cameras?bbox=-88,41,-87,42").status_code == 503
    messages = [record.getMessage() for record in caplog.records]
    quiet = [message for message in messages if "/api/v1/sightings" in message]
    assert quiet == [
        "OperationalError on POST /api/v1/sightings (quiet route: no details; at most one line a minute)"
    ]
    assert not any(record.exc_info for record in caplog.records)
    # An ordinary route still says what went wrong, and writes its access line.
    assert "database unavailable: OperationalError" in messages, messages
    assert any(message.startswith("GET /api/v1/cameras 503") for message in messages)
    # The two errors not written are counted in the summary, with the requests.
    lines = route_summary.summary.lines(before=float("inf"))
    (sightings,) = [line for line in lines if " POST /api/v1/sightings " in line]
    assert "count=3 5xx=3 " in sightings and "withheld_log_lines=2" in sightings


def test_sql_errors_reach_the_log_without_a_value_of_the_user(app, app_context, caplog):
    """hide_parameters keeps bound parameters out of SQLAlchemy's messages; PostgreSQL's own message may
    still quote a value, so the handler never logs a database error's message."""
    marker = "PARAMETER-MARKER-9f3"
    assert db.engine.hide_parameters
    with pytest.raises(DBAPIError) as caught:
        db.session.execute(text("SELECT CAST(:value AS integer)"), {"value": marker})
    db.session.rollback()
    assert "SQL parameters hidden" in str(caught.value)
    assert marker in str(caught.value)  # quoted by PostgreSQL itself: this is why the message is not logged
    with caplog.at_level(logging.DEBUG), app.test_request_context("/privacy"):
        quiet_routes.log_error(app.logger, caught.value, "unhandled error", traceback=True)
    (record,) = [record for record in caplog.records if record.name == "webapp"]
    assert marker not in record.getMessage() and record.exc_info is None
    assert "DataError sqlstate=22P02 [SQL: SELECT CAST(%(value)s AS integer)]" in record.getMessage()
