"""Growth over time from what the moderation history and the import know, on a hand-made history: reports
by their first-reported month, verifications and removals by their audit events, OpenStreetMap cameras from
their start_date, and those without one counted apart, never placed in a month."""

import csv
import io
from datetime import UTC, date, datetime

import pytest

from tests.factories import make_camera
from tests.support.coverage_fixtures import SQUARE, STATE, load_testland
from webapp.kernel.data.models import ModerationEvent
from webapp.kernel.extensions import db


def event(camera, action, from_status, to_status, when: datetime):
    db.session.add(
        ModerationEvent(
            action=action,
            target_type="camera",
            target_id=camera.id,
            from_status=from_status,
            to_status=to_status,
            created_at=when,
        )
    )
    db.session.flush()


@pytest.fixture
def history(app_context, tmp_path):
    load_testland(tmp_path)
    reported = make_camera(-99.5, 40.5, first_reported_month=date(2026, 1, 1))
    event(reported, "create", None, "verified", datetime(2026, 2, 10, tzinfo=UTC))
    # Verified before the audit log existed (no event): counted in its first-reported month.
    gone = make_camera(-99.6, 40.6, first_reported_month=date(2026, 2, 1), status="hidden")
    event(gone, "hide", "verified", "hidden", datetime(2026, 4, 3, tzinfo=UTC))
    make_camera(
        -99.4,
        40.4,
        source="osm",
        osm_type="node",
        osm_id=1,
        first_reported_month=None,
        osm_start_date="2025-11-20",
        started_month=date(2025, 11, 1),
    )
    make_camera(
        -99.3, 40.3, source="osm", osm_type="node", osm_id=2, first_reported_month=None, osm_start_date="2019"
    )
    make_camera(-99.2, 40.2, demo=True, first_reported_month=date(2026, 1, 1))
    make_camera(-98.5, 40.5, first_reported_month=date(2026, 3, 1))  # another county


def months_until_now(start: date) -> list[str]:
    today = datetime.now(UTC).date()
    months, year, month = [], start.year, start.month
    while (year, month) <= (today.year, today.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def test_county_timeline_month_by_month(client, history):
    answer = client.get(f"/api/v1/coverage/timeline?area={SQUARE}").get_json()
    assert answer["name"] == "Square County, Testland"
    rows = {row["month"]: row for row in answer["months"]}
    assert list(rows) == months_until_now(date(2025, 11, 1))
    columns = ("reported", "osm_started", "verified", "removed", "cumulative")
    assert [rows["2025-11"][name] for name in columns] == [0, 1, 0, 0, 1]
    assert [rows["2026-01"][name] for name in columns] == [1, 0, 0, 0, 1]
    assert [rows["2026-02"][name] for name in columns] == [1, 0, 2, 0, 3]
    assert rows["2026-04"]["removed"] == 1 and rows["2026-04"]["cumulative"] == 2
    last = answer["months"][-1]
    assert last["cumulative"] == 2
    # The OpenStreetMap camera tagged only "2019" names no month: counted apart, and the totals agree.
    assert answer["date_unknown"] == 1
    assert answer["on_map_now"] == last["cumulative"] + answer["date_unknown"] == 3


def test_state_and_national_timelines_and_csv(client, history):
    state = client.get(f"/api/v1/coverage/timeline?area={STATE}").get_json()
    assert state["on_map_now"] == 4 and state["months"][-1]["cumulative"] == 3
    national = client.get("/api/v1/coverage/timeline").get_json()
    assert national["area"] == "us" and national["on_map_now"] == 4
    response = client.get(f"/api/v1/coverage/timeline.csv?area={SQUARE}")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["month"] == "2025-11" and rows[0]["osm_started"] == "1"
    assert rows[-1]["month"] == "unknown" and rows[-1]["osm_started"] == "1"
    assert all(row["licence"] == "ODbL-1.0" for row in rows)


def test_bad_timeline_areas(client, history):
    assert client.get("/api/v1/coverage/timeline?area=xyz").status_code == 400
    assert client.get("/api/v1/coverage/timeline?area=12345").status_code == 404
