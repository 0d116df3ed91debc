"""Issue 23 item 5: an operator text is linked per state (operator_links keyed by the text and the cameras'
state: migration 0015), and the coverage breakdowns group operators by their linked agency."""

import json

import pytest
from sqlalchemy import text

from tests.factories import make_camera
from tests.support.agencies import make_agency
from tests.support.coverage_fixtures import SQUARE, STATE, load_testland, square
from webapp.kernel.data.models import Camera, OperatorLink
from webapp.kernel.extensions import db


@pytest.fixture
def testland(app_context, tmp_path):
    return load_testland(tmp_path)


def link(operator: str, agency, state_geoid: str = "", state: str = "linked") -> OperatorLink:
    row = OperatorLink(
        operator_key=operator.strip().lower(),
        state_geoid=state_geoid,
        operator=operator,
        state=state,
        agency_id=agency.id if agency else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def move(camera: Camera, lon: float, lat: float) -> None:
    db.session.execute(
        text("UPDATE cameras SET geom = ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) WHERE id = :id"),
        {"id": camera.id, "lon": lon, "lat": lat},
    )


def agency_of(camera: Camera) -> int | None:
    db.session.flush()
    return db.session.scalar(text("SELECT agency_id FROM cameras WHERE id = :id"), {"id": camera.id})


def test_a_camera_takes_the_link_of_its_own_state_else_the_texts_link_for_every_state(testland):
    testland_pd = make_agency("Richmond TL PD", "police", None)
    virginia = make_agency("Richmond VA PD", "police", "VA")
    link("Richmond Police Department", virginia)  # every state without a link of its own
    link("Richmond Police Department", testland_pd, STATE)
    # Inserted in Testland (its state is set by the boundaries' trigger, before the agency's trigger runs).
    here = make_camera(-99.5, 40.5, operator="Richmond Police Department")
    elsewhere = make_camera(-77.4, 37.5, operator="richmond police department ")  # no boundary: no state
    assert (agency_of(here), agency_of(elsewhere)) == (testland_pd.id, virginia.id)
    # Moved out of Testland: it takes the link for every state; back in: Testland's.
    move(here, -77.4, 37.5)
    assert agency_of(here) == virginia.id
    move(here, -99.5, 40.5)
    assert agency_of(here) == testland_pd.id
    # A state's own decision stands even when it links nothing (queued: the cameras wait for a moderator).
    db.session.execute(
        text("UPDATE operator_links SET state = 'queued', agency_id = NULL WHERE state_geoid = :s"),
        {"s": STATE},
    )
    assert (agency_of(here), agency_of(elsewhere)) == (None, virginia.id)


def test_the_breakdowns_group_an_agencys_texts(client, testland):
    patrol = make_agency("Testland Highway Patrol", "state", None)
    link("Testland Highway Patrol (THP)", patrol, STATE)
    link("Testland Highway Patrol", patrol, STATE)
    for lon, operator in (
        (-99.5, "Testland Highway Patrol (THP)"),
        (-99.4, "Testland Highway Patrol (THP)"),
        (-99.3, "Testland Highway Patrol"),
        (-99.2, "Gas Station"),
        (-99.1, "Gas Station"),
    ):
        make_camera(lon, 40.5, operator=operator)
    db.session.flush()
    expected = [
        {"operator": "Testland Highway Patrol", "agency_id": patrol.id, "name": "Testland Highway Patrol",
         "cameras": 3},
        {"operator": "Gas Station", "name": "Gas Station", "cameras": 2},
    ]  # fmt: skip
    for geoid in (STATE, SQUARE):
        answer = client.get(f"/api/v1/coverage/areas/{geoid}").get_json()
        assert answer["area"]["operators"] == expected, geoid
    drawn = client.post(
        "/api/v1/coverage/polygon", data=json.dumps(square(-100)), content_type="application/json"
    ).get_json()
    assert drawn["operators"] == expected
    in_view = client.get("/api/v1/coverage/view?bbox=-99.9,40.1,-99.0,40.9&top=5").get_json()
    assert in_view["operators"] == expected
