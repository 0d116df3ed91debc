"""`flask areas import`: the built-in states, the shipped Census files (data/), --if-missing, refusals that
write nothing; cameras get their state and county, and the OpenStreetMap import keeps each camera's
start_date. Also: a verification committed by one connection is in another's figures within a second."""

import gzip
import json
import time
from datetime import date

import pytest
from sqlalchemy import text

from tests.factories import make_camera
from tests.support.coverage_fixtures import SQUARE, load_testland
from tests.support.shipped_data import COUNTIES, STATES
from webapp.areas.builtin import BUILTIN_STATES_FILE
from webapp.cameras.osm_tags import read_osm_start_date
from webapp.kernel.extensions import db

SHIPPED_FILES = [STATES, COUNTIES]


def area_count(kind: str) -> int:
    return db.session.scalar(text("SELECT count(*) FROM areas WHERE kind = :kind"), {"kind": kind})


def test_builtin_states_are_small_and_load(runner, app_context):
    assert BUILTIN_STATES_FILE.stat().st_size < 200_000
    chicago = make_camera(-87.6298, 41.8781)
    result = runner.invoke(args=["areas", "import"])
    assert result.exit_code == 0, result.output
    assert "52 state areas loaded" in result.output
    assert area_count("state") == 52 and area_count("county") == 0
    db.session.refresh(chicago)
    assert (chicago.state_geoid, chicago.county_geoid) == ("17", None)
    texas = db.session.execute(
        text("SELECT population, road_miles, source FROM areas WHERE geoid = '48'")
    ).one()
    assert texas.population > 20_000_000 and texas.road_miles > 100_000
    assert "US Census Bureau" in texas.source and "simplified" in texas.source
    again = runner.invoke(args=["areas", "import", "--if-missing"])
    assert "already loaded" in again.output


@pytest.mark.slow
def test_shipped_states_and_counties_load(runner, app_context):
    cook = make_camera(-87.6298, 41.8781)
    result = runner.invoke(args=["areas", "import", *map(str, SHIPPED_FILES)])
    assert result.exit_code == 0, result.output
    assert (area_count("state"), area_count("county")) == (52, 3222)
    db.session.refresh(cook)
    assert (cook.state_geoid, cook.county_geoid) == ("17", "17031")
    # The other project's figures are in the file, and nowhere in ours.
    columns = db.session.execute(text("SELECT * FROM areas LIMIT 1")).keys()
    assert not {"cameracount", "rankpercapita", "camerasPerCapita"} & {name.lower() for name in columns}


def test_a_bad_boundary_file_writes_nothing(runner, app_context, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"GEOID": "ABC", "name": "x"}, "geometry": None}
                ],
            }
        )
    )
    result = runner.invoke(args=["areas", "import", "--source", "test", str(bad)])
    assert result.exit_code == 1 and "GEOID must be 2" in result.output
    unknown = tmp_path / "mine.geojson.gz"
    unknown.write_bytes(gzip.compress(b'{"type": "FeatureCollection", "features": []}'))
    result = runner.invoke(args=["areas", "import", str(unknown)])
    assert result.exit_code == 1
    assert area_count("state") == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-05", ("2023-05", date(2023, 5, 1))),
        ("2021-04-12", ("2021-04-12", date(2021, 4, 1))),
        ("2015/04/11", ("2015/04/11", date(2015, 4, 1))),
        ("2024", ("2024", None)),
        ("~2020", ("~2020", None)),
        ("2023-13", ("2023-13", None)),
        ("", (None, None)),
        (None, (None, None)),
        ("x" * 40, (None, None)),
    ],
)
def test_start_date_reading(raw, expected):
    assert read_osm_start_date(raw) == expected


def test_osm_import_keeps_start_date(runner, app_context, tmp_path):
    path = tmp_path / "cameras.json"
    path.write_text(
        json.dumps(
            [
                {"osmId": 11, "osmType": "node", "lat": 41.9, "lon": -87.7, "startDate": "2023-05"},
                {"osmId": 12, "osmType": "node", "lat": 41.9, "lon": -87.8, "startDate": "2019"},
                {"osmId": 13, "osmType": "node", "lat": 41.9, "lon": -87.9},
            ]
        )
    )
    assert runner.invoke(args=["cameras", "import", str(path)]).exit_code == 0
    rows = db.session.execute(
        text("SELECT osm_id, osm_start_date, started_month FROM cameras ORDER BY osm_id")
    ).all()
    assert [tuple(row) for row in rows] == [
        (11, "2023-05", date(2023, 5, 1)),
        (12, "2019", None),
        (13, None, None),
    ]


def test_a_verification_is_in_the_figures_within_a_second(app, committing_db, live_server, tmp_path):
    import urllib.request

    with app.app_context():
        load_testland(tmp_path)
        camera = make_camera(-99.5, 40.5, status="hidden")
        db.session.commit()
        camera_id = camera.id

    def cameras() -> int:
        with urllib.request.urlopen(f"{live_server}/api/v1/coverage/areas/{SQUARE}") as response:  # noqa: S310
            return json.loads(response.read())["area"]["cameras"]

    before = cameras()  # the figures are now kept in the server's memory
    with app.app_context():
        db.session.execute(text("UPDATE cameras SET status = 'verified' WHERE id = :id"), {"id": camera_id})
        db.session.commit()
    committed = time.monotonic()
    while cameras() != before + 1:
        assert time.monotonic() - committed < 1.0, "the verification did not show within 1 s"
        time.sleep(0.05)
