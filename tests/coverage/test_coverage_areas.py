"""Figures per area on hand-computed fixtures (tests/coverage_fixtures.py), checked to the digit: counts,
ratios, ranks, percentiles, the population floor, breakdowns, CSV; each camera's state and county set by the
database when it is created or moved; moderation shows in the figures at once."""

import csv
import io
import math

import pytest
from sqlalchemy import text

from tests.factories import make_camera
from tests.support.coverage_fixtures import SECOND, SQUARE, STATE, THIRD, TINY, load_testland, place_cameras
from webapp.areas.importer import count_discrepancies
from webapp.kernel.extensions import db


@pytest.fixture
def testland(app_context, tmp_path):
    load_testland(tmp_path)
    return place_cameras()


def figures(client, geoid: str) -> dict:
    response = client.get(f"/api/v1/coverage/areas/{geoid}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["area"]


def test_each_camera_knows_its_state_and_county_and_follows_a_move(testland):
    camera = testland["A"]
    db.session.refresh(camera)
    assert (camera.state_geoid, camera.county_geoid) == (STATE, SQUARE)
    db.session.execute(
        text("UPDATE cameras SET geom = ST_SetSRID(ST_MakePoint(-97.5, 40.5), 4326) WHERE id = :id"),
        {"id": camera.id},
    )
    db.session.refresh(camera)
    assert camera.county_geoid == THIRD
    outside = make_camera(-80.0, 30.0)
    db.session.refresh(outside)
    assert (outside.state_geoid, outside.county_geoid) == (None, None)
    assert count_discrepancies() == []


def test_county_figures_to_the_digit(client, testland):
    square = figures(client, SQUARE)
    assert (square["cameras"], square["imported"], square["reported"]) == (3, 1, 2)
    assert square["population"] == 20_000 and square["road_miles"] == 500.0
    assert square["below_population_floor"] is False
    # 3 cameras x 10,000 / 20,000 residents; peers: Square 1.5, Second 1.0, Third 0 (Tiny is below the floor).
    assert square["per_10k_residents"] == {
        "value": 1.5,
        "rank": 1,
        "percentile": 100.0,
        "peers": 3,
        "rank_in_state": 1,
        "peers_in_state": 3,
    }
    # 3 x 1,000 / 500 miles = 6; Second has 1 x 1,000 / 100 = 10, Third 0: Square is second of three.
    assert square["per_1k_road_miles"] == {
        "value": 6.0,
        "rank": 2,
        "percentile": 50.0,
        "peers": 3,
        "rank_in_state": 2,
        "peers_in_state": 3,
    }
    # The area is the spheroid's: a one-degree square at 40-41 N is about 111.0 x 84.8 km.
    spherical = (6371.0088**2) * math.radians(1) * (math.sin(math.radians(41)) - math.sin(math.radians(40)))
    assert square["area_km2"] == pytest.approx(spherical, rel=0.005)
    # 3 x 100 / area (the answer's area is rounded to 0.1 km², hence the tolerance of the last digit).
    assert square["per_100_km2"]["value"] == pytest.approx(300 / square["area_km2"], abs=1e-4)
    assert square["per_100_km2"]["rank"] == 1  # the counties have the same area: 3 cameras lead
    second, third, tiny = figures(client, SECOND), figures(client, THIRD), figures(client, TINY)
    assert second["per_10k_residents"]["value"] == 1.0 and second["per_10k_residents"]["rank"] == 2
    assert second["per_10k_residents"]["percentile"] == 50.0
    assert second["per_1k_road_miles"] == {
        "value": 10.0,
        "rank": 1,
        "percentile": 100.0,
        "peers": 3,
        "rank_in_state": 1,
        "peers_in_state": 3,
    }
    assert third["cameras"] == 0 and third["per_10k_residents"]["value"] == 0.0
    assert (third["per_10k_residents"]["rank"], third["per_10k_residents"]["percentile"]) == (3, 0.0)
    # Below the floor: its ratio is shown, it is marked, and it is not ranked.
    assert tiny["below_population_floor"] is True
    assert tiny["per_10k_residents"] == {
        "value": 100.0,
        "rank": None,
        "percentile": None,
        "peers": None,
        "rank_in_state": None,
        "peers_in_state": None,
    }


def test_state_figures_and_breakdowns(client, testland):
    state = figures(client, STATE)
    assert state["cameras"] == 5
    # 5 x 10,000 / 80,100 residents, rounded to 4 decimals; the only state, so rank 1 and percentile 0.
    assert state["per_10k_residents"] == {"value": 0.6242, "rank": 1, "percentile": 0.0, "peers": 1}
    square = client.get(f"/api/v1/coverage/areas/{SQUARE}?top=1").get_json()["area"]
    assert square["vendors"] == [
        {"vendor": "flock-safety", "name": "Flock Safety", "cameras": 2},
        {"vendor": "other", "other": True, "name": "Other vendors", "cameras": 1},
    ]
    assert square["operators"] == [
        {"operator": "Sheriff", "name": "Sheriff", "cameras": 2},
        {"operator": None, "other": True, "name": "Other operators", "cameras": 1},
    ]
    full = figures(client, SQUARE)
    assert {row["operator"] for row in full["operators"]} == {"Sheriff", None}
    assert [row["cameras"] for row in full["vendors"]] == [2, 1]


def test_lists_csv_and_the_other_projects_figures_are_not_read(client, testland):
    answer = client.get(f"/api/v1/coverage/counties?state={STATE}").get_json()
    assert [area["geoid"] for area in answer["areas"]] == [SQUARE, SECOND, THIRD, TINY]
    assert answer["method"]["denominators"] == ["Test boundaries (made in the test)"]
    assert "never demo" in answer["method"]["counted"]
    assert "OpenStreetMap contributors" in answer["method"]["attribution"]
    # The file said cameraCount 12345 and 99 per capita: none of it appears.
    assert "12345" not in client.get(f"/api/v1/coverage/counties.csv?state={STATE}").get_data(as_text=True)
    response = client.get(f"/api/v1/coverage/counties.csv?state={STATE}")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    square = next(row for row in rows if row["geoid"] == SQUARE)
    assert (square["cameras"], square["per_10k_residents"], square["per_10k_residents_rank"]) == (
        "3",
        "1.5",
        "1",
    )
    assert square["top_vendors"] == "flock-safety:2; motorola-vigilant:1"
    assert (
        square["licence"] == "ODbL-1.0" and square["as_of"] and "Verified cameras only" in square["counted"]
    )
    tiny = next(row for row in rows if row["geoid"] == TINY)
    assert (tiny["below_population_floor"], tiny["per_10k_residents_rank"]) == ("true", "")
    states = client.get("/api/v1/coverage/states").get_json()
    assert [area["geoid"] for area in states["areas"]] == [STATE]


def test_moderation_shows_in_the_figures_at_once(client, testland):
    before = figures(client, SQUARE)["cameras"]
    hidden = testland["hidden"]
    db.session.execute(text("UPDATE cameras SET status = 'verified' WHERE id = :id"), {"id": hidden.id})
    assert figures(client, SQUARE)["cameras"] == before + 1
    db.session.execute(text("UPDATE cameras SET status = 'removed' WHERE id = :id"), {"id": testland["A"].id})
    assert figures(client, SQUARE)["cameras"] == before
    db.session.execute(text("UPDATE cameras SET vendor = 'genetec' WHERE id = :id"), {"id": testland["B"].id})
    vendors = {row["vendor"]: row["cameras"] for row in figures(client, SQUARE)["vendors"]}
    assert vendors.get("genetec") == 1
    assert count_discrepancies() == []


def test_bad_area_requests(client, testland):
    assert client.get("/api/v1/coverage/areas/99999").status_code == 404
    assert client.get("/api/v1/coverage/areas/abc").status_code == 404
    assert client.get("/api/v1/coverage/counties?state=1x").status_code == 400
    assert client.get("/api/v1/coverage/counties?state=77").status_code == 404
    answer = client.get(f"/api/v1/coverage/areas/{SQUARE}?top=99")
    assert answer.status_code == 400 and "top" in answer.get_json()["message"]


def test_the_view_panel_and_the_legend(client, testland):
    exact = client.get("/api/v1/coverage/view?bbox=-100,40,-99.1,41").get_json()
    assert (exact["cameras"], exact["exact"]) == (3, True)
    wide = client.get("/api/v1/coverage/view?bbox=-101,39,-95,42").get_json()
    assert (wide["cameras"], wide["exact"]) == (5, False)
    legend = client.get("/api/v1/coverage/legend?kind=county").get_json()
    assert set(legend["breaks"]) == {"cameras", "per_10k_residents", "per_1k_road_miles", "per_100_km2"}
    # Testland's few counties share their quintiles: equal ones are merged
    # (tests/coverage/test_coverage_legend.py).
    assert legend["breaks"]["per_10k_residents"] == [0.0, 1.0]
    assert legend["classes"]["per_10k_residents"] == [[0.0, 0.0], [0.0, 1.0], [1.0, None]]


@pytest.mark.parametrize(
    "bbox", ["-100,40,-99.1,41", "-99.6,40.1,-99.1,40.6", "-101,39,-95,42", "-125,24,-66,50"]
)
def test_the_maps_count_and_the_view_panel_count_the_same_cameras(client, testland, bbox):
    # Testland holds a demo camera and a hidden one in view: neither is counted by either.
    headline = client.get(f"/api/v1/cameras/count?bbox={bbox}").get_json()
    panel = client.get(f"/api/v1/coverage/view?bbox={bbox}").get_json()
    assert (headline["cameras"], headline["exact"]) == (panel["cameras"], panel["exact"])
    assert headline["cameras"] > 0


def test_choropleth_tile_carries_live_figures(client, testland):
    import mapbox_vector_tile

    response = client.get("/tiles/areas/county/6/14/24.pbf")
    assert response.status_code == 200
    layer = mapbox_vector_tile.decode(response.data)["areas"]
    square = next(feature for feature in layer["features"] if feature["properties"]["geoid"] == SQUARE)
    assert square["properties"]["cameras"] == 3 and square["properties"]["per_10k_residents"] == 1.5
    assert client.get("/tiles/areas/town/6/14/24.pbf").status_code == 400
    assert client.get("/tiles/areas/county/6/99/24.pbf").status_code == 400


def test_ties_share_the_best_rank_and_the_percentile_counts_strictly_lower_peers(client, testland):
    for step in range(5):  # Third: 5 cameras for 50,000 residents, 1.0 per 10,000 like Second
        make_camera(-97.9 + step * 0.1, 40.5)
    answer = client.get(f"/api/v1/coverage/counties?state={STATE}").get_json()
    by_geoid = {area["geoid"]: area["per_10k_residents"] for area in answer["areas"]}
    figures = [by_geoid[geoid] for geoid in (SQUARE, SECOND, THIRD)]
    standing = [(figure["value"], figure["rank"], figure["percentile"]) for figure in figures]
    assert standing == [(1.5, 1, 100.0), (1.0, 2, 0.0), (1.0, 2, 0.0)]
    assert by_geoid[TINY]["rank"] is None and by_geoid[TINY]["peers"] is None
    assert {by_geoid[geoid]["peers_in_state"] for geoid in (SQUARE, SECOND, THIRD)} == {3}
