"""The public agency pages on real PostGIS: an agency's cameras, figures with their sources, relations both
ways (retired ones with their dates), the search with its filters in the address, the questions' pages, and
the camera page naming its agency. Nothing here changes data: the public reads."""

import pytest
from sqlalchemy import text

from tests.support.agencies import newsroom_world
from tests.support.coverage_fixtures import load_testland
from webapp.kernel.extensions import db


@pytest.fixture
def world(app_context, tmp_path):
    load_testland(tmp_path)
    return newsroom_world()


def test_the_agency_page_shows_cameras_figures_and_relations_with_sources(client, world):
    sylvania = world["sylvania"]
    html = client.get(f"/agencies/{sylvania.id}").get_data(as_text=True)
    assert "Sylvania OH PD" in html
    # Three verified cameras are mapped under it; the portal claims 12: the map holds 25 % of them.
    assert 'data-testid="mapped-cameras">3<' in html
    assert "12 on 2024-04-26" in html and "25%" in html
    assert "30 days" in html and "Immigration enforcement, traffic enforcement" in html
    assert "The News &amp; Observer" in html and "MIT" in html
    # It shares with the FBI (federal, marked) and Toledo; the Ohio State Patrol relation is retired.
    assert "FBI" in html and "federal-mark" in html
    assert "retired on 2024-02-01" in html and "sylvania-ended-sharing" in html
    assert 'data-testid="shares-with-count">3 agencies now, 1 retired relation' in html
    assert "Flock Safety" in html and "Motorola" in html


def test_an_unknown_agency_is_a_404(client, world):
    assert client.get("/agencies/999999999").status_code == 404
    assert client.get("/api/v1/agencies/999999999").get_json()["error"] == "not_found"


def test_the_search_finds_names_and_aliases_case_insensitively_and_keeps_filters(client, world):
    html = client.get("/agencies?q=SYLVANIA+police&state=OH").get_data(as_text=True)
    assert "Sylvania OH PD" in html and "Toledo PD" not in html
    assert 'name="q" value="SYLVANIA police"' in html and '<option value="OH" selected>' in html
    html = client.get("/agencies?kind=federal").get_data(as_text=True)
    assert "FBI" in html and "US Postal Inspection Service" in html and "Toledo PD" not in html
    # A LIKE wildcard is a character like any other.
    assert "1 agency" not in client.get("/agencies?q=%25").get_data(as_text=True)
    assert client.get("/agencies?q=" + "x" * 101).status_code == 400
    assert client.get("/agencies?kind=spies").status_code == 400
    assert client.get("/agencies?state=ZZ").status_code == 400
    assert client.get("/agencies?page=1001").status_code == 400


def test_the_relations_page_pages_one_direction(client, world):
    html = client.get(f"/agencies/{world['fbi'].id}/relations?direction=receives_from").get_data(as_text=True)
    assert "Sylvania OH PD" in html and "Toledo PD" in html
    assert client.get(f"/agencies/{world['fbi'].id}/relations?direction=sideways").status_code == 400


def test_the_camera_page_names_its_agency_and_links_to_it(client, world):
    camera = world["cameras"]["s2"]
    html = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert f'href="/agencies/{world["sylvania"].id}"' in html and "Sylvania OH PD" in html
    unlinked = db.session.execute(text("SELECT id FROM cameras WHERE agency_id IS NULL LIMIT 1")).scalar()
    if unlinked:
        assert 'class="agency"' not in client.get(f"/cameras/{unlinked}").get_data(as_text=True)


def test_the_feeding_cameras_page_lists_every_source_with_its_cameras(client, world):
    html = client.get(f"/agencies/{world['fbi'].id}/feeding-cameras").get_data(as_text=True)
    # Sylvania (3 verified) and Toledo (1 verified; its hidden and demo cameras are not counted).
    assert (
        "2 agencies share their ALPR data with it; 2 of them run verified cameras on this map, 4 cameras"
        in html
    )
    assert 'data-testid="feeding-map"' in html


def test_the_receivers_page_for_a_state_and_a_county(client, world):
    html = client.get("/agencies/receivers?state=OH").get_data(as_text=True)
    # Sources in Ohio: Sylvania, Toledo, Ashland, the State Patrol (agencies of the state). Toledo receives
    # from two of them, the FBI from two, USPIS from one.
    assert 'data-testid="receivers-table"' in html
    assert html.index("FBI") < html.index("US Postal Inspection Service")
    html = client.get("/agencies/receivers?county=98003").get_data(as_text=True)
    assert "Second County" in html and "FBI" in html and "US Postal Inspection Service" not in html
    assert client.get("/agencies/receivers?county=99999").status_code == 404
    assert client.get("/agencies/receivers?county=abc").status_code == 400


def test_the_policy_page_lists_sylvania_only(client, world):
    html = client.get("/agencies/policy-vs-federal").get_data(as_text=True)
    assert (
        "Sylvania OH PD" in html and "Toledo PD</a> <" not in html.split("policy-table")[1].split("<ul>")[0]
    )
    assert "1 agency" in html


def test_the_network_page_without_and_with_an_agency(client, world):
    assert "Give an agency" in client.get("/agencies/network").get_data(as_text=True)
    html = client.get(f"/agencies/network?agency={world['sylvania'].id}").get_data(as_text=True)
    assert "/npm/cytoscape/dist/cytoscape.min.js" in html and 'id="agency-settings"' in html
    assert client.get("/agencies/network?agency=999999999").status_code == 404


def test_reading_pages_changes_nothing(client, world):
    before = db.session.execute(text("SELECT count(*), sum(version) FROM agency_sharing")).one()
    for url in (
        "/agencies",
        f"/agencies/{world['sylvania'].id}",
        "/agencies/receivers?state=OH",
        "/agencies/policy-vs-federal",
        f"/agencies/{world['fbi'].id}/feeding-cameras",
    ):
        assert client.get(url).status_code == 200
    assert db.session.execute(text("SELECT count(*), sum(version) FROM agency_sharing")).one() == before
    # No write method on the public side.
    for url in (f"/agencies/{world['sylvania'].id}", f"/api/v1/agencies/{world['sylvania'].id}"):
        assert client.post(url).status_code in (400, 405)
