"""Issue 23 item 6: the receivers of a place filtered to federal and out-of-state agencies (what California's
law forbids sharing with), federal rows first, and a county chosen by its name within a state."""

import pytest

from tests.support.agencies import make_agency, newsroom_world, share
from tests.support.coverage_fixtures import add_county_row, load_testland


@pytest.fixture
def world(app_context, tmp_path):
    load_testland(tmp_path)
    world = newsroom_world()
    share(world["sylvania"], make_agency("Detroit MI PD", "police", "MI", world["source"]))
    share(world["sylvania"], make_agency("Some Task Force", "other", None, world["source"]))
    return world


def names(answer: dict) -> list[str]:
    return [entry["name"] for entry in answer["receivers"]]


def test_federal_and_out_of_state_receivers_filtered_federal_first(client, world):
    every = client.get("/api/v1/agencies/receivers?state=OH").get_json()
    assert names(every)[:2] == ["FBI", "US Postal Inspection Service"]
    assert (every["receivers_total"], every["federal_receivers"], every["out_of_state_receivers"]) == (
        5,
        2,
        1,
    )
    assert every["receivers_state_unknown"] == 1 and every["place"]["states"] == ["OH"]
    federal = client.get("/api/v1/agencies/receivers?state=OH&only=federal").get_json()
    assert names(federal) == ["FBI", "US Postal Inspection Service"] and federal["receivers_listed"] == 2
    away = client.get("/api/v1/agencies/receivers?state=OH&only=out_of_state").get_json()
    assert names(away) == ["Detroit MI PD"]
    both = client.get("/api/v1/agencies/receivers.csv?state=OH&only=federal_or_out_of_state").text
    assert [line.split(",")[1] for line in both.splitlines()[1:]] == [
        "FBI",
        "US Postal Inspection Service",
        "Detroit MI PD",
    ]
    refused = client.get("/api/v1/agencies/receivers?state=OH&only=nearby")
    assert refused.status_code == 400 and "only must be one of" in refused.get_json()["message"]


def test_a_county_is_chosen_by_its_name_within_a_state(client, world):
    add_county_row("06001", "Alameda County, California", "06")
    add_county_row("06003", "Alpine County, California", "06")
    add_county_row("55001", "Adams County, Wisconsin", "55")
    for given in ("Alameda", "alameda county", "Alameda County, California"):
        answer = client.get("/api/v1/agencies/receivers", query_string={"state": "CA", "county": given})
        assert answer.get_json()["place"] == {
            "kind": "county",
            "code": "06001",
            "name": "Alameda County, California",
            "states": ["CA"],
        }, given
    # The page offers the state's counties by name and the filter.
    page = client.get("/agencies/receivers?state=CA&county=Alameda&only=federal").get_data(as_text=True)
    assert '<option value="Alameda County">' in page and '<option value="Alpine County">' in page
    assert "Adams County" not in page
    assert '<option value="federal" selected>' in page
    assert "only=federal" in page  # the pager and the downloads keep the filter
    # (Refusals last: an error answer rolls the test's rows back.)
    assert client.get("/api/v1/agencies/receivers?state=WI&county=Alameda").status_code == 404
    needs_state = client.get("/api/v1/agencies/receivers?county=Alameda")
    assert needs_state.status_code == 400 and "state" in needs_state.get_json()["message"]
