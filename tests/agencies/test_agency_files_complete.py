"""Issue 23 item 1: every CSV and GeoJSON file of the agencies' answers holds the whole answer, or says in
the file and in its headers that it is a page and where the next one is; no two columns share a name."""

import csv
import io

import pytest

from tests.support.agencies import make_agency, newsroom_world, policy, share
from tests.support.coverage_fixtures import load_testland


@pytest.fixture
def world(app_context, tmp_path):
    load_testland(tmp_path)
    world = newsroom_world()
    # 130 more receivers of Sylvania's data: more than a JSON page (100) holds.
    for number in range(130):
        share(world["sylvania"], make_agency(f"Receiver {number:03d} PD", "police", "MI", world["source"]))
    return world


def read_csv(body: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(body)))
    return rows[0], rows[1:]


def test_the_receivers_csv_holds_every_receiver_with_unique_columns(client, world):
    response = client.get("/api/v1/agencies/receivers.csv?state=OH")
    header, rows = read_csv(response.text)
    assert len(header) == len(set(header)), header
    assert "source_agencies" in header and "sources" in header
    assert len(rows) == 133  # FBI, USPIS, Toledo and the 130
    assert 'rel="next"' not in response.headers["Link"]
    assert not any(row[0].startswith("#") for row in rows)
    features = client.get("/api/v1/agencies/receivers.geojson?state=OH").get_json()
    assert len(features["features"]) == 133 and features["complete"] is True and features["next"] is None
    assert features["source_agencies"] == 4 and features["receivers_total"] == 133


def test_a_receivers_file_past_its_cap_says_it_is_a_page_and_links_the_next(client, world, monkeypatch):
    from webapp.agencies.public import api

    monkeypatch.setattr(api, "RECEIVERS_FILE_ROWS", 100)
    first = client.get("/api/v1/agencies/receivers.csv?state=OH")
    header, rows = read_csv(first.text)
    assert len(rows) == 101  # 100 receivers and the closing line
    following = "http://localhost/api/v1/agencies/receivers.csv?state=OH&page=2"
    assert rows[-1] == [f"# This file is one page of the answer; the next page is at {following}"]
    assert f'<{following}>; rel="next"' in first.headers["Link"]
    _header, rest = read_csv(client.get(following).text)
    assert len(rest) == 33 and not rest[-1][0].startswith("#")
    geojson = client.get("/api/v1/agencies/receivers.geojson?state=OH").get_json()
    assert geojson["complete"] is False and geojson["next"].endswith("receivers.geojson?state=OH&page=2")
    assert len(geojson["features"]) == 100


def test_a_page_of_cameras_as_csv_says_where_the_next_is(client, world, monkeypatch):
    from webapp.agencies.public import api, camera_sets

    monkeypatch.setattr(api, "CAMERA_PAGE_ROWS", 2)
    monkeypatch.setattr(camera_sets, "CAMERA_PAGE_ROWS", 2)
    sylvania = world["sylvania"]
    response = client.get(f"/api/v1/agencies/{sylvania.id}/cameras.csv")
    _header, rows = read_csv(response.text)
    assert len(rows) == 3 and rows[-1][0].startswith("# This file is one page")
    following = rows[-1][0].rsplit(" ", 1)[1]
    assert f"<{following}>" in response.headers["Link"]
    _header, rest = read_csv(client.get(following).text)
    assert len(rest) == 1


def test_the_policy_file_past_its_cap_says_how_many_it_leaves_out(client, world, monkeypatch):
    from webapp.agencies.public import questions

    for number in range(2):
        agency = make_agency(f"Policy {number} PD", "police", "OH", world["source"])
        share(agency, world["fbi"], world["source"])
        policy(agency, world["source"], prohibited_uses="Immigration", prohibits_immigration_enforcement=True)
    monkeypatch.setattr(questions, "POLICY_ROWS_MAX", 2)
    answer = client.get("/api/v1/agencies/policy-vs-federal").get_json()
    assert (answer["total"], answer["listed"], answer["complete"]) == (3, 2, False)
    _header, rows = read_csv(client.get("/api/v1/agencies/policy-vs-federal.csv").text)
    assert rows[-1] == ["# This file holds the first 2 of 3 agencies (the most federal receivers first)."]
    assert client.get("/api/v1/agencies/policy-vs-federal.geojson").get_json()["complete"] is False
