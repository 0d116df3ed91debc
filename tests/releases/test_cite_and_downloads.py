"""Every live figure page offers "cite this" (the figure as it stood in the latest release, with its
citation), its cameras in every format and its Atom feed (issue 22); the map's view and any answer download
its cameras with the licence and a "live as of" stamp inside the file."""

import csv
import io
import json
import subprocess

import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from tests.factories import make_camera
from tests.support.agencies import make_agency
from tests.support.coverage_fixtures import SQUARE, STATE, load_testland, place_cameras
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import db


@pytest.fixture
def testland(app_context, tmp_path):
    load_testland(tmp_path)
    return place_cameras()


def test_each_format_of_a_county_selection_holds_its_cameras_and_the_licence(client, testland, tmp_path):
    expected = 3  # A, B and C: never the demo or the hidden camera
    answer = client.get(f"/api/v1/cameras/selection.csv?county={SQUARE}")
    assert answer.status_code == 200 and answer.headers["Sightline-Cameras"] == str(expected)
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert len(rows) == expected and {row["licence"] for row in rows} == {"ODbL-1.0"}
    assert all(row["data_date"].startswith("live as of ") for row in rows)

    geojson = client.get(f"/api/v1/cameras/selection.geojson?county={SQUARE}").get_json()
    assert len(geojson["features"]) == expected and geojson["licence"] == "ODbL-1.0"
    assert "live as of" in geojson["data_date"]
    kml = client.get(f"/api/v1/cameras/selection.kml?county={SQUARE}").get_data(as_text=True)
    assert kml.count("<Placemark") == expected and "ODbL-1.0" in kml

    parquet = tmp_path / "cameras.parquet"
    parquet.write_bytes(client.get(f"/api/v1/cameras/selection.parquet?county={SQUARE}").data)
    table = pq.read_table(parquet)
    assert table.num_rows == expected
    assert json.loads(table.schema.metadata[b"geo"])["version"] == "1.1.0"
    assert table.schema.metadata[b"data_date"].startswith(b"live as of ")

    fgb = tmp_path / "cameras.fgb"
    fgb.write_bytes(client.get(f"/api/v1/cameras/selection.fgb?county={SQUARE}").data)
    listing = subprocess.run(
        ["ogrinfo", "-ro", "-al", str(fgb)], capture_output=True, text=True, check=True
    ).stdout
    assert f"Feature Count: {expected}" in listing and "licence (String) = ODbL-1.0" in listing

    state = client.get(f"/api/v1/cameras/selection.csv?state={STATE}")
    assert state.headers["Sightline-Cameras"] == "5" and state.get_data(as_text=True).count("\n") == 6
    view = client.get("/api/v1/cameras/selection.csv?bbox=-100,40,-99,41")
    assert view.headers["Sightline-Cameras"] == str(expected) and view.get_data(as_text=True).count("\n") == 4


def test_a_selection_must_say_which_cameras_and_stays_bounded(client, testland):
    assert client.get("/api/v1/cameras/selection.csv").status_code == 400
    assert client.get(f"/api/v1/cameras/selection.csv?county={SQUARE}&state={STATE}").status_code == 400
    assert client.get("/api/v1/cameras/selection.csv?county=abc").status_code == 400
    assert client.get("/api/v1/cameras/selection.exe?county=98001").status_code == 404


def test_live_pages_cite_the_latest_release(app_with, tmp_path, committing_db):
    app = app_with(EXPORT_DIR=tmp_path / "exports")
    with app.app_context():
        load_testland(tmp_path)
        place_cameras()
        agency = make_agency("Testland Sheriff", state="TL")
        commit()
        page = app.test_client().get(f"/coverage/areas/{SQUARE}").get_data(as_text=True)
        assert "No data release has been made yet" in page
        assert f'href="/feeds/counties/{SQUARE}.atom"' in page and 'rel="alternate"' in page
        assert app.test_cli_runner().invoke(args=["opendata", "release"]).exit_code == 0
        make_camera(-99.9, 40.9)  # after the release: live 4, released 3
        db.session.execute(
            text("UPDATE cameras SET agency_id = :a WHERE status = 'verified'"), {"a": agency.id}
        )
        commit()
        client = app.test_client()
        page = client.get(f"/coverage/areas/{SQUARE}").get_data(as_text=True)
        assert "In release 1 of" in page and "had 3 verified cameras (4 now, live)" in page
        assert "/data/releases/1" in page and f"selection.fgb?county={SQUARE}" in page
        agency_page = client.get(f"/agencies/{agency.id}").get_data(as_text=True)
        assert "In release 1 of" in agency_page and "had 0 verified cameras" in agency_page
        assert f'href="/feeds/agencies/{agency.id}.atom"' in agency_page
