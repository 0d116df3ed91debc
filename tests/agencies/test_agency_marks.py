"""Issue 23 item 4: agencies' missing states are inferred from their names (a state named, a county name known
in one state only, a known regional body) or from their linked cameras; portals' test accounts are marked and
left out of every count and list; a name that shows its state does not show it twice; moderators see both
marks and correct them, and a later run keeps their correction."""

import pytest
from sqlalchemy import text

from tests.factories import make_camera
from tests.support.agencies import make_agency, newsroom_world, share
from tests.support.coverage_fixtures import add_county_row, load_testland
from webapp.agencies.moderation.agency_marks import is_test_account, mark_agencies, shows_its_state
from webapp.kernel.data.models import Agency, OperatorLink
from webapp.kernel.extensions import db


@pytest.mark.parametrize(
    "name", ["Demo", "Test Demo 1234", "DNU", "DNU- Walker County AL SO", "Flock Safety PD Test Org",
             "Flock Safety HOA - External Testing 2", "Northeast LE Training - Demo"]
)  # fmt: skip
def test_portal_test_accounts_are_recognised(name):
    assert is_test_account(name)


@pytest.mark.parametrize(
    "name", ["Demopolis AL PD", "Whitestown IN PD", "Testerman County SO", "Sylvania OH PD"]
)
def test_real_agencies_are_not_test_accounts(name):
    assert not is_test_account(name)


def test_a_name_that_shows_its_state_does_not_show_it_twice(client, app_context):
    assert shows_its_state("Centralia PD (WA)", "WA") and shows_its_state("Sylvania OH PD", "OH")
    assert not shows_its_state("Ohio State Patrol", "OH") and not shows_its_state("FBI", None)
    centralia = make_agency("Centralia PD (WA)", "police", "WA")
    page = client.get("/agencies?q=Centralia").get_data(as_text=True)
    assert f'data-agency-id="{centralia.id}">Centralia PD (WA)</a>' in page and "(WA) (WA)" not in page
    assert "(WA)</span>" not in page


@pytest.fixture
def california(app_context, tmp_path):
    for geoid, name, state in (
        ("06115", "Yuba County, California", "06"),
        ("06007", "Butte County, California", "06"),
        ("16011", "Butte County, Idaho", "16"),
        ("46019", "Butte County, South Dakota", "46"),
    ):
        add_county_row(geoid, name, state)
    return {
        name: make_agency(name, kind, None)
        for name, kind in [
            ("NCRIC", "other"),
            ("Yuba County Sheriffs Office", "sheriff"),
            ("Cal Fire", "other"),
            ("Butte County SO", "sheriff"),
            ("Demo", "other"),
            ("FBI", "federal"),
        ]
    }


def test_states_are_inferred_from_names_and_cameras_never_over_a_given_one(california):
    butte = california["Butte County SO"]
    given = make_agency("Chico PD", "police", "CA")
    summary = mark_agencies()
    got = {a.name: (a.state, a.state_basis) for a in db.session.query(Agency).populate_existing()}
    assert got["NCRIC"] == ("CA", "name")
    assert got["Yuba County Sheriffs Office"] == ("CA", "name")  # Yuba County is California's only
    assert got["Cal Fire"] == ("CA", "name")
    assert got["Butte County SO"] == (None, None)  # Butte County: California, Idaho, South Dakota
    assert got["FBI"] == (None, None) and got["Chico PD"] == ("CA", None)
    assert summary.states_from_names == 3 and summary.test_accounts == 1
    # Its linked cameras stand in California (the state set as the boundaries' trigger would).
    db.session.add(OperatorLink(operator_key="butte county so", operator="Butte County SO", state="linked",
                                agency_id=butte.id))  # fmt: skip
    ids = [make_camera(-121.6, 39.7 + i / 100, operator="Butte County SO").id for i in range(3)]
    db.session.execute(text("UPDATE cameras SET state_geoid = '06' WHERE id = ANY(:ids)"), {"ids": ids})
    assert mark_agencies().states_from_cameras == 1
    db.session.refresh(butte)
    assert (butte.state, butte.state_basis) == ("CA", "cameras")
    assert given.state == "CA"


def test_test_accounts_are_in_no_count_or_list(client, app_context, tmp_path):
    load_testland(tmp_path)
    world = newsroom_world()
    demo = make_agency("Flock Safety PD Test Org", "police", None, world["source"])
    share(world["sylvania"], demo, world["source"])
    share(demo, world["fbi"], world["source"])
    mark_agencies()
    receivers = client.get("/api/v1/agencies/receivers?state=OH").get_json()
    assert "Flock Safety PD Test Org" not in [entry["name"] for entry in receivers["receivers"]]
    assert receivers["receivers_total"] == 3
    search = client.get("/api/v1/agencies?q=Flock").get_json()
    assert search["total"] == 0
    sylvania = client.get("/api/v1/agencies?q=Sylvania").get_json()["agencies"][0]
    assert sylvania["shares_with"] == 3  # FBI, Toledo, USPIS; not the test account
    feeding = client.get(f"/api/v1/agencies/{world['fbi'].id}/feeding-cameras").get_json()
    assert feeding["source_agencies"] == 2


def test_moderators_see_and_correct_the_marks_and_a_later_run_keeps_it(moderator_client, california):
    mark_agencies()
    db.session.expire_all()  # (the test shares the requests' session; the marks were written in SQL)
    ncric, demo = california["NCRIC"], california["Demo"]
    page = moderator_client.get(f"/moderate/agencies/{ncric.id}").get_data(as_text=True)
    assert 'data-testid="state-inferred">This state was inferred from the agency' in page
    page = moderator_client.get(f"/moderate/agencies/{demo.id}").get_data(as_text=True)
    assert 'name="test_account" value="1" checked' in page
    # "Demo" is a real agency after all; NCRIC's state is confirmed by saving.
    response = moderator_client.post(
        f"/moderate/agencies/{demo.id}", data={"name": "Demo", "kind": "other", "version": demo.version}
    )
    assert response.status_code == 303
    db.session.refresh(ncric)
    moderator_client.post(
        f"/moderate/agencies/{ncric.id}",
        data={"name": "NCRIC", "kind": "other", "state": "CA", "version": ncric.version},
    )
    mark_agencies()
    db.session.refresh(demo)
    db.session.refresh(ncric)
    assert demo.test_account is False
    assert (ncric.state, ncric.state_basis) == ("CA", None)
