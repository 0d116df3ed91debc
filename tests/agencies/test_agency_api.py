"""The agency API on real PostGIS: search (paged, bounded), one agency with `shares_with` and
`receives_from`, its relations in pages, its cameras as GeoJSON (read back by GDAL) and CSV, the bounded
network neighbourhood, and the agencies and relations exports with the licence of each source."""

import csv
import io
import json
import shutil
import subprocess

import pytest

from tests.support.agencies import newsroom_world
from tests.support.coverage_fixtures import load_testland
from webapp.agencies.public.open_data import AGENCY_EXPORTS
from webapp.kernel.extensions import db
from webapp.opendata.export_files import write_exports

OGRINFO = shutil.which("ogrinfo")


@pytest.fixture
def world(app_context, tmp_path):
    load_testland(tmp_path)
    return newsroom_world()


def ogr_features(path) -> str:
    if OGRINFO is None:
        pytest.fail("ogrinfo is missing: `make test` installs Debian's gdal-bin")
    return subprocess.run(
        [OGRINFO, "-ro", "-al", str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_search_is_paged_bounded_and_says_its_sources(client, world):
    answer = client.get("/api/v1/agencies?q=pd&state=oh").get_json()
    assert [entry["name"] for entry in answer["agencies"]] == ["Sylvania OH PD", "Toledo PD"]
    sylvania = answer["agencies"][0]
    assert sylvania["cameras"] == 3 and sylvania["shares_with"] == 3 and sylvania["receives_from"] == 0
    assert answer["filters"] == {"q": "pd", "state": "OH"}
    assert answer["sources"]["data_sets"][0]["licence"] == "MIT"
    assert answer["sources"]["data_sets"][0]["attribution"] == "The News & Observer"
    response = client.get("/api/v1/agencies?page=0")
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_field"
    assert client.get("/api/v1/agencies?q=" + "a" * 101).status_code == 400
    assert client.get("/api/v1/agencies").headers["Cache-Control"] == "public, max-age=60"


def test_one_agency_with_its_relations_both_ways(client, world):
    answer = client.get(f"/api/v1/agencies/{world['sylvania'].id}").get_json()["agency"]
    assert answer["shares_with"]["count"] == 3 and answer["shares_with"]["retired"] == 1
    names = [(r["agency"]["name"], r["current"]) for r in answer["shares_with"]["relations"]]
    # Current ones first, federal first among them; the retired one last, with its dates and source.
    assert names == [
        ("FBI", True),
        ("US Postal Inspection Service", True),
        ("Toledo PD", True),
        ("Ohio State Patrol", False),
    ]
    retired = answer["shares_with"]["relations"][-1]
    assert retired["retired_on"] == "2024-02-01" and retired["seen_on"] == "2023-08-01"
    assert retired["data_set"]["attribution"] == "The News & Observer"
    assert answer["receives_from"] == {"count": 0, "retired": 0, "relations": [], "complete": True}
    assert answer["completeness"]["claimed_on_portal"] == 12 and answer["completeness"]["mapped_here"] == 3
    assert answer["portal_figures"][0]["retention_text"] == "30 days"
    assert answer["portal_figures"][0]["accessed_on"] == "2024-04-26"
    assert answer["policies"][0]["prohibits_immigration_enforcement"] is True
    assert {v["vendor"]: v["cameras"] for v in answer["cameras"]["vendors"]} == {
        "flock-safety": 2,
        "motorola-vigilant": 1,
    }
    fbi = client.get(f"/api/v1/agencies/{world['fbi'].id}").get_json()["agency"]
    assert fbi["federal"] is True and fbi["receives_from"]["count"] == 2


def test_relations_pages(client, world):
    answer = client.get(f"/api/v1/agencies/{world['toledo'].id}/relations?direction=receives_from").get_json()
    assert answer["current"] == 2 and {r["agency"]["name"] for r in answer["relations"]} == {
        "Sylvania OH PD",
        "Ashland County OH SO",
    }
    assert client.get(f"/api/v1/agencies/{world['toledo'].id}/relations?direction=both").status_code == 400
    assert client.get("/api/v1/agencies/999999999/relations").status_code == 404


def test_its_cameras_as_geojson_read_back_by_gdal_and_as_csv(client, world, tmp_path):
    sylvania = world["sylvania"]
    response = client.get(f"/api/v1/agencies/{sylvania.id}/cameras.geojson")
    assert response.mimetype == "application/geo+json"
    path = tmp_path / "cameras.geojson"
    path.write_bytes(response.data)
    read = ogr_features(path)
    assert "Feature Count: 3" in read or read.count("OGRFeature(") == 3
    assert "Sylvania OH PD" in read
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/agencies/{sylvania.id}/cameras.csv").text)))
    assert len(rows) == 3 and {row["agency"] for row in rows} == {"Sylvania OH PD"}
    assert "The News & Observer" in rows[0]["sources"]
    # A page starts after an id.
    first = min(int(row["id"]) for row in rows)
    after = client.get(f"/api/v1/agencies/{sylvania.id}/cameras.geojson?after={first}").get_json()
    assert len(after["features"]) == 2
    camera_map = client.get(f"/api/v1/agencies/{sylvania.id}/cameras/map").get_json()
    assert camera_map["kind"] == "points" and len(camera_map["points"]) == 3
    # (A refusal rolls the test's rows back, as it rolls a request back: refusals come last.)
    assert client.get(f"/api/v1/agencies/{sylvania.id}/cameras.csv?after=-1").status_code == 400


def test_the_network_neighbourhood_is_bounded_and_filtered(client, world):
    sylvania, toledo = world["sylvania"], world["toledo"]
    answer = client.get(f"/api/v1/agencies/network?agency={sylvania.id}").get_json()
    names = {node["name"] for node in answer["nodes"]}
    # The retired relation (State Patrol) is not drawn.
    assert names == {"Sylvania OH PD", "FBI", "US Postal Inspection Service", "Toledo PD"}
    assert {"source": sylvania.id, "target": toledo.id} in answer["edges"]
    assert {"source": toledo.id, "target": world["fbi"].id} in answer["edges"]
    two = client.get(f"/api/v1/agencies/network?agency={sylvania.id}&hops=2").get_json()
    assert "Ashland County OH SO" in {node["name"] for node in two["nodes"]}
    federal = client.get(f"/api/v1/agencies/network?agency={sylvania.id}&federal=1").get_json()
    assert {node["name"] for node in federal["nodes"]} == {
        "Sylvania OH PD",
        "FBI",
        "US Postal Inspection Service",
    }
    small = client.get(f"/api/v1/agencies/network?agency={sylvania.id}&limit=2").get_json()
    assert len(small["nodes"]) == 2 and small["not_shown"] == 2
    receiving = client.get(f"/api/v1/agencies/network?agency={toledo.id}&direction=receives_from").get_json()
    assert {node["name"] for node in receiving["nodes"]} == {
        "Toledo PD",
        "Sylvania OH PD",
        "Ashland County OH SO",
    }
    assert client.get(f"/api/v1/agencies/network?agency={sylvania.id}&limit=201").status_code == 400
    assert client.get(f"/api/v1/agencies/network?agency={sylvania.id}&hops=3").status_code == 400
    assert client.get("/api/v1/agencies/network").status_code == 400
    assert client.get("/api/v1/agencies/network?agency=999999999").status_code == 404


def test_the_exports_carry_each_sources_licence(app, app_with, tmp_path, db_session):
    own = app_with()
    with own.app_context():
        sylvania_id = newsroom_world()["sylvania"].id
        manifest = write_exports(export_set=AGENCY_EXPORTS)
        assert manifest is not None and write_exports(export_set=AGENCY_EXPORTS) is None
        db.session.commit()  # into the test's transaction (rolled back at the end)
    client = own.test_client()
    agencies = list(csv.DictReader(io.StringIO(client.get("/api/v1/agencies.csv").text)))
    assert {row["name"] for row in agencies} >= {"Sylvania OH PD", "FBI"}
    assert {(row["licence"], row["attribution"]) for row in agencies} == {("MIT", "The News & Observer")}
    relations = json.loads(client.get("/api/v1/agencies/relations.json").data)
    assert relations["sources"][0]["key"] == "news-observer-private-eyes"
    retired = [r for r in relations["relations"] if not r["current"]]
    assert len(retired) == 1 and retired[0]["retired_on"] == "2024-02-01"
    assert len(relations["relations"]) == 6
    assert relations["relations"][0]["licence"] == "MIT"
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/agencies/relations.csv").text)))
    assert {row["to_federal"] for row in rows} == {"true", "false"}
    response = client.get("/api/v1/agencies.json")
    assert response.headers["ETag"] and "sightline-agencies.json" in response.headers["Content-Disposition"]
    assert sylvania_id in {entry["id"] for entry in json.loads(response.data)["agencies"]}
