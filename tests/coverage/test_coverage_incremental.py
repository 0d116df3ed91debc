"""Issue 19, item 6: when counts change, the figures kept in the worker are brought up to date from the areas
whose counts changed (migration 0022) instead of computed afresh. Every answer brought up to date must be the
answer computed from scratch, to the byte: ranks that cross, a breakdown that changes while the total does
not, a change rolled back after a request read it, and changes that are more than counts (an operator link).
The data is committed for real, as in production, where the kept figures are used."""

import re

import pytest
from sqlalchemy import text

from tests.factories import make_camera
from tests.support.agencies import make_agency
from tests.support.coverage_fixtures import SECOND, SQUARE, STATE, THIRD, TINY, load_testland, place_cameras
from webapp.coverage import live_cache
from webapp.coverage.area_figures import area_list_json
from webapp.kernel.data.models import OperatorLink
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AreaKind

PATHS = (
    "/api/v1/coverage/counties",
    f"/api/v1/coverage/counties?state={STATE}",
    "/api/v1/coverage/counties?top=1",
    "/api/v1/coverage/states",
    "/api/v1/coverage/counties.csv",
    f"/api/v1/coverage/areas/{SQUARE}",
    f"/api/v1/coverage/areas/{THIRD}",
    f"/api/v1/coverage/areas/{STATE}",
)
AS_OF = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\dZ")  # the minute the figures were read (method.as_of)


@pytest.fixture
def committed(app, committing_db, tmp_path):
    live_cache.clear()
    with app.app_context():
        load_testland(tmp_path)
        cameras = {name: camera.id for name, camera in place_cameras().items()}
        db.session.commit()
    yield cameras
    live_cache.clear()


def answers(client) -> dict[str, bytes]:
    found = {}
    for path in PATHS:
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
        found[path] = AS_OF.sub(b"AS_OF", response.data)
    return found


def from_scratch(client) -> dict[str, bytes]:
    live_cache.clear()
    return answers(client)


def kept_ranked_county(geoid: str) -> dict:
    """The dict the worker keeps for a county's figures (shared between versions while unchanged)."""
    ranked = live_cache._entries[("ranked", AreaKind.COUNTY.value)][1]
    return ranked.areas[ranked.position[geoid]]


def commit(app, sql: str, **params) -> None:
    with app.app_context():
        db.session.execute(text(sql), params)
        db.session.commit()


def per_10k(client, geoid: str) -> dict:
    return client.get(f"/api/v1/coverage/areas/{geoid}").get_json()["area"]["per_10k_residents"]


def test_two_counties_changed_one_crossing_another_give_the_answers_computed_from_scratch(app, committed):
    client = app.test_client()
    answers(client)  # kept at this version
    tiny = kept_ranked_county(TINY)
    assert (per_10k(client, SECOND)["rank"], per_10k(client, THIRD)["rank"]) == (2, 3)
    with app.app_context():
        # Third: 0 -> 6 cameras for 50,000 residents, 1.2 per 10,000, past Second's 1.0.
        for step in range(6):
            make_camera(-97.9 + step * 0.1, 40.5, vendor="genetec")
        db.session.commit()
    # Square: B changes vendor, its total stays 3: only its breakdown moves.
    commit(app, "UPDATE cameras SET vendor = 'genetec' WHERE id = :id", id=committed["B"])
    brought_up_to_date = answers(client)
    assert kept_ranked_county(TINY) is tiny, "the unchanged county was computed again: nothing was kept"
    assert (per_10k(client, SECOND)["rank"], per_10k(client, THIRD)["rank"]) == (3, 2)
    square = client.get(f"/api/v1/coverage/areas/{SQUARE}").get_json()["area"]
    assert {row["vendor"]: row["cameras"] for row in square["vendors"]} == {
        "flock-safety": 1,
        "genetec": 1,
        "motorola-vigilant": 1,
    }
    assert brought_up_to_date == from_scratch(client)


def test_the_one_county_answer_is_brought_up_to_date_before_the_list_and_then_the_list(app, committed):
    """The ranked areas and the lists are kept apart: the list brought up to date after several versions
    reads every change since its own version, not only the last one."""
    client = app.test_client()
    answers(client)
    commit(app, "UPDATE cameras SET status = 'hidden' WHERE id = :id", id=committed["second"])
    assert per_10k(client, SECOND)["value"] == 0.0  # the ranked areas move on, the lists stay behind
    commit(app, "UPDATE cameras SET status = 'removed' WHERE id = :id", id=committed["A"])
    assert client.get(f"/api/v1/coverage/areas/{SQUARE}").get_json()["area"]["cameras"] == 2
    assert answers(client) == from_scratch(client)


def test_a_change_rolled_back_after_a_request_read_it_is_never_kept(app, committed):
    client = app.test_client()
    before = answers(client)
    with app.app_context():
        for step in range(6):
            make_camera(-97.9 + step * 0.1, 40.5)
        seen = area_list_json(AreaKind.COUNTY, None, 3)  # read inside the writing transaction
        assert '"geoid":"98005","kind":"county","name":"Third County, Testland"' in seen
        db.session.rollback()
    assert answers(client) == before
    commit(app, "UPDATE cameras SET status = 'hidden' WHERE id = :id", id=committed["second"])
    after = answers(client)
    assert per_10k(client, THIRD)["value"] == 0.0
    assert after == from_scratch(client)


def test_an_operator_link_shows_in_the_breakdown_of_a_county_whose_counts_did_not_change(app, committed):
    client = app.test_client()
    answers(client)
    with app.app_context():
        sheriff = make_agency("Testland County Sheriff", "sheriff", None)
        db.session.add(
            OperatorLink(
                operator_key="sheriff",
                state_geoid="",
                operator="Sheriff",
                state="linked",
                agency_id=sheriff.id,
            )
        )
        db.session.commit()
        sheriff_id = sheriff.id
    operators = client.get(f"/api/v1/coverage/areas/{SQUARE}").get_json()["area"]["operators"]
    assert [row["name"] for row in operators][0] == "Testland County Sheriff"
    assert answers(client) == from_scratch(client)
    with app.app_context():  # an agency renamed: the breakdowns show the new name
        db.session.execute(
            text("UPDATE agencies SET name = 'Testland Sheriff' WHERE id = :id"), {"id": sheriff_id}
        )
        db.session.commit()
    listed = client.get(f"/api/v1/coverage/counties?state={STATE}").get_json()["areas"]
    square = next(area for area in listed if area["geoid"] == SQUARE)
    assert square["operators"][0]["name"] == "Testland Sheriff"
    assert answers(client) == from_scratch(client)


def test_a_list_kept_in_english_is_not_served_to_a_spanish_request(app, committed):
    client = app.test_client()
    english = client.get("/api/v1/coverage/counties?top=1").get_json()["areas"]
    spanish = client.get("/api/v1/coverage/counties?top=1&lang=es").get_json()["areas"]
    square = [next(area for area in areas if area["geoid"] == SQUARE) for areas in (english, spanish)]
    assert [area["vendors"][-1]["name"] for area in square] == ["Other vendors", "Otros fabricantes"]


def test_a_worker_keeps_a_bounded_number_of_lists_whatever_is_asked(app, committed):
    client = app.test_client()
    for top in range(1, 21):
        for language in ("en", "es"):
            assert client.get(f"/api/v1/coverage/counties?top={top}&lang={language}").status_code == 200
    listed = [key for key in live_cache._entries if key[0] == "listed"]
    assert len(listed) == live_cache.MAX_OF_A_KIND
    assert len(live_cache._entries) <= live_cache.MAX_ENTRIES
