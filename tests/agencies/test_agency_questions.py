"""The reporters' questions on real PostGIS, each as JSON, CSV (read back; formula cells neutralised) and
GeoJSON (read back by GDAL), each stating its sources: who receives data from a state, a county or a drawn
area; which cameras feed a receiver (paged); which agencies prohibit immigration enforcement yet share with a
federal agency."""

import csv
import io
import json
import shutil
import subprocess

import pytest

from tests.support.agencies import make_agency, newsroom_world, share
from tests.support.coverage_fixtures import load_testland, rectangle

OGRINFO = shutil.which("ogrinfo")


@pytest.fixture
def world(app_context, tmp_path):
    load_testland(tmp_path)
    return newsroom_world()


def gdal_read(tmp_path, data: bytes) -> str:
    if OGRINFO is None:
        pytest.fail("ogrinfo is missing: `make test` installs Debian's gdal-bin")
    path = tmp_path / "answer.geojson"
    path.write_bytes(data)
    return subprocess.run(
        [OGRINFO, "-ro", "-al", str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_receivers_of_a_state_ranked_with_federal_marked(client, world):
    answer = client.get("/api/v1/agencies/receivers?state=OH").get_json()
    # Sources: Ohio's agencies (Sylvania, Toledo, Ashland, the Patrol; no camera of theirs stands in Ohio).
    assert answer["sources"] == 4 and answer["sources_sharing"] == 3
    ranked = [(entry["name"], entry["sources"], entry["federal"]) for entry in answer["receivers"]]
    # Federal receivers first (the question California's law makes urgent), then by sources.
    assert ranked == [
        ("FBI", 2, True),
        ("US Postal Inspection Service", 1, True),
        ("Toledo PD", 2, False),
    ]
    assert answer["federal_receivers"] == 2 and answer["receivers_total"] == 3
    assert answer["sources_statement"]["data_sets"][0]["attribution"] == "The News & Observer"


def test_receivers_of_a_county_come_from_the_cameras_standing_there(client, world):
    # Square County holds Sylvania's three cameras; Second County Toledo's one verified camera.
    square = client.get("/api/v1/agencies/receivers?county=98001").get_json()
    assert square["sources"] == 1 and [e["name"] for e in square["receivers"]] == [
        "FBI",
        "US Postal Inspection Service",
        "Toledo PD",
    ]
    second = client.get("/api/v1/agencies/receivers?county=98003").get_json()
    assert [e["name"] for e in second["receivers"]] == ["FBI"]


def test_receivers_as_csv_and_geojson(client, world, tmp_path):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/agencies/receivers.csv?state=OH").text)))
    assert [row["name"] for row in rows] == ["FBI", "US Postal Inspection Service", "Toledo PD"]
    assert rows[0]["federal"] == "true" and "MIT" in rows[0]["sources"] and rows[0]["as_of"]
    read = gdal_read(tmp_path, client.get("/api/v1/agencies/receivers.geojson?state=OH").data)
    assert read.count("OGRFeature(") == 3 and "FBI" in read
    # Toledo runs a mapped camera: its feature stands there; the FBI runs none: a null geometry.
    assert "POINT (-98.5 40.5)" in read


def test_receivers_of_a_drawn_area(client, world):
    area = json.dumps(rectangle(-99.6, 40.4, -99.3, 40.8))
    answer = client.post(
        "/api/v1/agencies/receivers/area", data=area, content_type="application/geo+json"
    ).get_json()
    assert answer["place"]["kind"] == "area" and answer["sources"] == 1
    assert {e["name"] for e in answer["receivers"]} == {"FBI", "US Postal Inspection Service", "Toledo PD"}
    rows = client.post("/api/v1/agencies/receivers/area.csv", data=area, content_type="application/json").text
    assert rows.count("\n") == 4
    # The page takes an uploaded file too.
    html = client.post(
        "/agencies/receivers",
        data={"file": (io.BytesIO(area.encode()), "area.geojson")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "US Postal Inspection Service" in html
    too_large = json.dumps(rectangle(-110, 30, -90, 45))
    refused = client.post("/api/v1/agencies/receivers/area", data=too_large, content_type="application/json")
    assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_geometry"


def test_receivers_need_a_place(client, world):
    assert client.get("/api/v1/agencies/receivers").get_json()["error"] == "missing_field"
    assert client.get("/api/v1/agencies/receivers?state=XX").status_code == 400
    assert client.get("/api/v1/agencies/receivers?county=00000").status_code == 404


def test_the_cameras_that_feed_the_fbi(client, world, tmp_path):
    fbi = world["fbi"]
    answer = client.get(f"/api/v1/agencies/{fbi.id}/feeding-cameras").get_json()
    assert answer["cameras"] == 4 and answer["source_agencies"] == 2
    assert [(s["name"], s["cameras"]) for s in answer["sources"]] == [("Sylvania OH PD", 3), ("Toledo PD", 1)]
    read = gdal_read(tmp_path, client.get(f"/api/v1/agencies/{fbi.id}/feeding-cameras.geojson").data)
    assert read.count("OGRFeature(") == 4 and "Toledo PD" in read
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/api/v1/agencies/{fbi.id}/feeding-cameras.csv").text))
    )
    assert sorted(row["agency"] for row in rows) == ["Sylvania OH PD"] * 3 + ["Toledo PD"]
    drawn = client.get(f"/api/v1/agencies/{fbi.id}/feeding-cameras/map").get_json()
    assert drawn["kind"] == "points" and len(drawn["points"]) == 4
    # A retired relation feeds nothing: the State Patrol receives no camera of Sylvania's now.
    patrol = client.get(f"/api/v1/agencies/{world['patrol'].id}/feeding-cameras").get_json()
    assert patrol["cameras"] == 0 and patrol["sources"] == []


def test_a_large_feed_is_paged_and_mapped_from_counts(client, world, monkeypatch):
    from webapp.agencies.public import api, camera_sets

    monkeypatch.setattr(camera_sets, "MAP_MAX_POINTS", 2)
    monkeypatch.setattr(api, "CAMERA_PAGE_ROWS", 3)
    monkeypatch.setattr(camera_sets, "CAMERA_PAGE_ROWS", 3)
    fbi = world["fbi"]
    first = client.get(f"/api/v1/agencies/{fbi.id}/feeding-cameras.geojson")
    page = first.get_json()
    assert len(page["features"]) == 3 and page["next"] and 'rel="next"' in first.headers["Link"]
    rest = client.get(page["next"]).get_json()
    assert len(rest["features"]) == 1 and rest["next"] is None
    drawn = client.get(f"/api/v1/agencies/{fbi.id}/feeding-cameras/map").get_json()
    assert drawn["kind"] == "cells" and sum(cell[2] for cell in drawn["cells"]) == 4


def test_policy_vs_federal_sharing(client, world, tmp_path):
    answer = client.get("/api/v1/agencies/policy-vs-federal").get_json()
    assert [entry["name"] for entry in answer["agencies"]] == ["Sylvania OH PD"]
    federal = answer["agencies"][0]["federal_receivers"]
    assert [entry["name"] for entry in federal] == ["FBI", "US Postal Inspection Service"]
    assert answer["agencies"][0]["policy"]["accessed_on"] == "2023-07-28"
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/agencies/policy-vs-federal.csv").text)))
    assert rows[0]["federal_receivers"] == "FBI; US Postal Inspection Service"
    read = gdal_read(tmp_path, client.get("/api/v1/agencies/policy-vs-federal.geojson").data)
    assert read.count("OGRFeature(") == 1 and "Sylvania OH PD" in read


def test_csv_cells_that_would_run_as_formulas_are_neutralised(client, world):
    trap = make_agency('=HYPERLINK("http://evil")', "federal", None, world["source"])
    share(world["sylvania"], trap, world["source"])
    body = client.get("/api/v1/agencies/receivers.csv?state=OH").text
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
