"""Numbered data releases (issue 22): a release is frozen files with hashes and a datapackage.json; a second
release leaves the first's files byte for byte; both are listed with what changed; GDAL reads the FlatGeobuf,
pyarrow the GeoParquet's `geo` metadata, Frictionless the package; a withdrawal keeps the release listed."""

import csv
import hashlib
import json
import subprocess
from pathlib import Path

import frictionless
import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from tests.factories import make_camera
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import db


@pytest.fixture
def release_app(app_with, tmp_path, committing_db):
    app = app_with(EXPORT_DIR=tmp_path / "exports", SERVER_NAME="sightline.test")
    with app.app_context():
        yield app


def _cameras(count: int, lon: float = -122.27, lat: float = 37.80) -> list:
    cameras = [make_camera(lon + i * 0.001, lat, operator=f"Agency {i % 3}") for i in range(count)]
    commit()
    return cameras


def _release(app) -> int:
    result = app.test_cli_runner().invoke(args=["opendata", "release"])
    assert result.exit_code == 0, result.output
    return int(result.output.strip().rsplit("release ", 1)[1].split()[0])


def _hashes(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def test_a_release_is_immutable_and_the_next_one_says_what_changed(release_app):
    cameras = _cameras(5)
    make_camera(-122.0, 37.0, demo=True)  # never in a release
    commit()
    first = _release(release_app)
    folder = Path(release_app.config["EXPORT_DIR"]) / "releases" / str(first)
    before = _hashes(folder)
    assert "datapackage.json" in before and len(before) >= 10

    # Change the data: one camera moved, one removed, two added.
    cameras[0].geom = text("ST_SetSRID(ST_MakePoint(-122.5, 37.5), 4326)")
    cameras[1].status = "removed"
    db.session.flush()
    _cameras(2, lon=-121.0)
    second = _release(release_app)

    assert second == first + 1
    assert _hashes(folder) == before, "the first release's files changed"
    client = release_app.test_client()
    listing = client.get("/api/v1/releases").get_json()["releases"]
    assert [release["number"] for release in listing] == [second, first]
    assert listing[0]["changes"] == {"previous": first, "added": 2, "removed": 1, "moved": 1}
    assert listing[1]["changes"]["previous"] is None
    assert listing[0]["cameras"] == 6 and listing[1]["cameras"] == 5
    citation = listing[1]["citation"]
    assert (
        citation["release"] == first
        and citation["hash"]
        == "sha256:" + hashlib.sha256((folder / "datapackage.json").read_bytes()).hexdigest()
    )
    page = client.get("/data").get_data(as_text=True)
    assert "2 added, 1 removed, 1 moved" in page
    assert listing[0]["citation"]["text"] in page.replace("&amp;", "&")

    changes = (Path(release_app.config["EXPORT_DIR"]) / "releases" / str(second)).glob("*-changes.csv")
    with open(next(changes), newline="") as handle:
        kinds = sorted(row["change"] for row in csv.DictReader(handle))
    assert kinds == ["added", "added", "moved", "removed"]


def test_formats_are_read_back_by_gdal_pyarrow_and_frictionless(release_app):
    _cameras(7)
    number = _release(release_app)
    folder = Path(release_app.config["EXPORT_DIR"]) / "releases" / str(number)
    prefix = f"sightline-release-{number}-cameras"
    with open(folder / f"{prefix}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 7

    info = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(folder / f"{prefix}.fgb")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Feature Count: 7" in info and "Geometry: Point" in info and "licence: String" in info

    parquet = pq.read_table(folder / f"{prefix}.parquet")
    assert parquet.num_rows == 7
    geo = json.loads(parquet.schema.metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    assert geo["columns"]["geometry"]["encoding"] == "WKB"
    assert parquet.schema.metadata[b"licence"] == b"ODbL-1.0"

    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "type", "note"])[:5]
    package = json.loads((folder / "datapackage.json").read_text())
    for resource in package["resources"]:
        body = (folder / resource["path"]).read_bytes()
        assert resource["bytes"] == len(body)
        assert resource["hash"] == "sha256:" + hashlib.sha256(body).hexdigest()
    assert {resource["format"] for resource in package["resources"]} >= {
        "csv",
        "geojson",
        "kml",
        "fgb",
        "parquet",
    }
    assert "T00:00:00Z" in package["created"]


def test_files_are_served_immutable_and_a_withdrawn_release_stays_listed_with_its_reason(release_app):
    _cameras(2)
    number = _release(release_app)
    client = release_app.test_client()
    files = client.get(f"/api/v1/releases/{number}").get_json()["files"]
    answer = client.get(files[0]["url"])
    assert answer.status_code == 200
    assert "immutable" in answer.headers["Cache-Control"]
    assert "sha256:" + hashlib.sha256(answer.data).hexdigest() == files[0]["hash"]
    assert client.get(files[0]["url"], headers={"If-None-Match": answer.headers["ETag"]}).status_code == 304

    refused = release_app.test_cli_runner().invoke(
        args=["opendata", "withdraw", str(number), "--reason", "no"]
    )
    assert refused.exit_code != 0
    reason = "A camera at a private house was published by mistake."
    withdrawn = release_app.test_cli_runner().invoke(
        args=["opendata", "withdraw", str(number), "--reason", reason]
    )
    assert withdrawn.exit_code == 0, withdrawn.output
    assert client.get(files[0]["url"]).status_code == 410
    listed = client.get("/api/v1/releases").get_json()["releases"][0]
    assert listed["withdrawn"]["reason"] == reason
    assert reason in client.get("/data").get_data(as_text=True)
    with pytest.raises(Exception, match="never changes"):
        db.session.execute(text("UPDATE data_releases SET cameras = 0"))
    db.session.rollback()


def test_the_worker_makes_a_release_when_one_is_due_and_only_then(app_with, tmp_path, committing_db):
    from webapp.jobs.schedule import schedule
    from webapp.releases.making import release_if_due

    app = app_with(EXPORT_DIR=tmp_path / "exports", RELEASE_EVERY_DAYS=30)
    assert "release" in [entry.name for entry in schedule(app.config)]
    assert "release" not in [entry.name for entry in schedule({**app.config, "RELEASE_EVERY_DAYS": 0})]
    with app.app_context():
        _cameras(1)
        assert release_if_due() == "release 1 published"
        assert release_if_due().startswith("no release due")
        # A month later the next one is due.
        db.session.execute(text("ALTER TABLE data_releases DISABLE TRIGGER data_releases_immutable"))
        db.session.execute(text("UPDATE data_releases SET released_on = released_on - 30"))
        db.session.execute(text("ALTER TABLE data_releases ENABLE TRIGGER data_releases_immutable"))
        commit()
        assert release_if_due() == "release 2 published"


def test_a_release_holds_the_searches_aggregates_and_nothing_personal(release_app, tmp_path):
    from tests.support.agencies import make_agency
    from tests.support.search_logs import import_file, search_row, write_csv

    owner = make_agency("Tulsa OK PD", state="OK")
    rows = [
        search_row(
            "1", org="ICE ERO Dallas", reason="ICE detainer", name="Officer Jane Roe", plate="XYZ9876"
        ),
        search_row("2", org="Austin PD", reason="stolen vehicle", case="25-012345"),
        search_row("3", org="Austin PD", reason="burglary", at="12/02/2025, 10:00:00 AM UTC"),
    ]
    import_file(write_csv(tmp_path / "log.csv", rows), owner)
    commit()
    number = _release(release_app)
    folder = Path(release_app.config["EXPORT_DIR"]) / "releases" / str(number)

    def read(stem: str) -> list[dict]:
        with open(folder / f"sightline-release-{number}-{stem}.csv", newline="") as handle:
            return list(csv.DictReader(handle))

    logs = read("searches-logs")
    assert [(log["owner_agency"], log["searches"]) for log in logs] == [("Tulsa OK PD", "3")]
    assert "Records request 21" in logs[0]["sources"]
    by_searcher = {
        (row["searching_agency"], row["category"]): int(row["searches"])
        for row in read("searches-by-searcher")
    }
    assert sum(by_searcher.values()) == 3 and by_searcher[("Austin PD", "other")] == 2
    months = {row["month"] for row in read("searches-by-month")}
    assert months == {"2025-11", "2025-12"}
    everything = b"".join(path.read_bytes() for path in folder.iterdir())
    for personal in (b"Jane Roe", b"XYZ9876", b"25-012345"):
        assert personal not in everything
