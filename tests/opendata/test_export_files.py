"""The full exports are files: written only when the cameras changed, replaced atomically, served with
ETag, Last-Modified and Range, each saying its data date, and no request reads the database."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from tests.factories import make_camera, make_user
from webapp.kernel.extensions import db
from webapp.moderation.camera_status import change_camera_status
from webapp.opendata.export_files import export_folder, read_manifest, write_exports

KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture
def own_app(app, app_with, db_session):
    """An app whose export folder no other test wrote to; its database work joins the test's transaction
    (`db_session`), rolled back at the end."""
    return app_with()


def test_before_the_first_export_the_routes_say_to_come_back(own_app):
    client = own_app.test_client()
    for name in ("geojson", "csv", "kml"):
        response = client.get(f"/api/v1/cameras.{name}")
        assert response.status_code == 503
        assert response.get_json()["error"] == "export_not_ready"
        assert response.headers["Retry-After"] == "60"


def test_files_are_written_only_when_the_cameras_changed(own_app):
    with own_app.app_context():
        camera = make_camera()
        first = write_exports()
        assert first is not None
        assert write_exports() is None  # nothing changed
        change_camera_status(camera.id, make_user(role="moderator"), "hide")
        db.session.flush()
        second = write_exports()
        assert second is not None and second["fingerprint"] != first["fingerprint"]
        # The previous version's files are gone, the current ones are there, nothing half-written is left.
        names = sorted(path.name for path in export_folder().iterdir())
        expected = sorted([*(entry["file"] for entry in second["files"].values()), "manifest.json", ".lock"])
        assert names == expected
        assert read_manifest() == second


def test_an_export_is_served_with_etag_range_and_its_data_date(own_app):
    with own_app.app_context():
        camera_id = make_camera(operator="Chicago PD").id
        manifest = write_exports()
        db.session.commit()  # into the test's transaction (rolled back at the end)
    client = own_app.test_client()
    response = client.get("/api/v1/cameras.csv")
    assert response.status_code == 200
    body = response.get_data()
    assert response.headers["ETag"] == f'"{manifest["files"]["csv"]["sha256"]}"'
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Last-Modified"]
    assert response.headers["Sightline-Data-Date"] == manifest["data_date"]
    assert response.cache_control.public and response.cache_control.max_age == 300
    assert int(response.headers["Content-Length"]) == len(body) == manifest["files"]["csv"]["bytes"]
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [(int(row["id"]), row["data_date"]) for row in rows] == [(camera_id, manifest["data_date"])]

    etag = response.headers["ETag"]
    assert client.get("/api/v1/cameras.csv", headers={"If-None-Match": etag}).status_code == 304
    part = client.get("/api/v1/cameras.csv", headers={"Range": "bytes=10-29"})
    assert part.status_code == 206
    assert part.get_data() == body[10:30]
    assert part.headers["Content-Range"] == f"bytes 10-29/{len(body)}"
    # A resumed download of an older version gets the whole new file, not a piece of another one.
    stale = client.get("/api/v1/cameras.csv", headers={"Range": "bytes=10-29", "If-Range": '"an-old-etag"'})
    assert stale.status_code == 200 and stale.get_data() == body

    geojson = json.loads(client.get("/api/v1/cameras.geojson").get_data())
    assert geojson["data_date"] == manifest["data_date"]
    kml = ET.fromstring(client.get("/api/v1/cameras.kml").get_data())  # noqa: S314 (our own file)
    dates = [
        data.find(f"{KML}value").text for data in kml.iter(f"{KML}Data") if data.get("name") == "data_date"
    ]
    assert dates == [manifest["data_date"]]


def test_serving_an_export_reads_nothing_from_the_database(own_app):
    with own_app.app_context():
        make_camera()
        write_exports()
        db.session.commit()
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)  # every engine and connection
    try:
        for name in ("geojson", "csv", "kml"):
            assert own_app.test_client().get(f"/api/v1/cameras.{name}").status_code == 200
        assert statements == []
        with own_app.app_context():
            db.session.scalar(text("SELECT 1"))  # the listener does see statements
        assert "SELECT 1" in statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def test_the_command_writes_and_then_has_nothing_to_do(own_app):
    runner = own_app.test_cli_runner()
    with own_app.app_context():
        make_camera()
        db.session.commit()
    first = runner.invoke(args=["opendata", "export"])
    assert first.exit_code == 0, first.output
    assert "written to" in first.output and "csv" in first.output
    second = runner.invoke(args=["opendata", "export"])
    assert second.exit_code == 0 and "nothing written" in second.output
    forced = runner.invoke(args=["opendata", "export", "--force"])
    assert forced.exit_code == 0 and "written to" in forced.output
