"""Issue 23 item 2: a sharing relation belongs to a vendor's network. The importer gives each relation the
vendor of the portal it was read from (The News & Observer's files: Flock Safety's), and only that vendor's
cameras feed the receiver: counts, pages, CSV and the map (cells counted per vendor since migration 0015)."""

import csv
import io
import subprocess

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from tests.agencies.test_agency_import import write_sample
from tests.support.agencies import make_agency, newsroom_world, share
from tests.support.coverage_fixtures import load_testland
from webapp.agencies.importing.importer import import_agency_files
from webapp.agencies.importing.source_files import portal_vendor
from webapp.kernel.data.models import AgencySharing
from webapp.kernel.extensions import db


@pytest.fixture
def world(app_context, tmp_path):
    """The newsroom world: Sylvania runs 2 Flock cameras and 1 Motorola/Vigilant, Toledo 1 Genetec."""
    load_testland(tmp_path)
    world = newsroom_world()
    # A receiver fed through Flock Safety portals only.
    world["flock_receiver"] = receiver = make_agency(
        "Flock Network Task Force", "other", "OH", world["source"]
    )
    share(world["sylvania"], receiver, world["source"], vendor="flock-safety")
    share(world["toledo"], receiver, world["source"], vendor="flock-safety")
    return world


def test_only_the_relations_vendor_cameras_feed_the_receiver(client, world, monkeypatch):
    receiver = world["flock_receiver"]
    answer = client.get(f"/api/v1/agencies/{receiver.id}/feeding-cameras").get_json()
    # Sylvania's Motorola camera and Toledo's Genetec camera do not feed a Flock network relation.
    assert answer["cameras"] == 2
    assert [(s["name"], s["cameras"], s["vendors"]) for s in answer["sources"]] == [
        ("Sylvania OH PD", 2, ["flock-safety"]),
        ("Toledo PD", 0, ["flock-safety"]),
    ]
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/api/v1/agencies/{receiver.id}/feeding-cameras.csv").text))
    )
    assert {row["vendor"] for row in rows} == {"flock-safety"} and len(rows) == 2
    drawn = client.get(f"/api/v1/agencies/{receiver.id}/feeding-cameras/map").get_json()
    assert drawn["kind"] == "points" and {point[3] for point in drawn["points"]} == {"flock-safety"}
    # Past the points' limit the map is drawn from the per-vendor cells: the same two cameras.
    from webapp.agencies.public import camera_sets

    monkeypatch.setattr(camera_sets, "MAP_MAX_POINTS", 1)
    cells = client.get(f"/api/v1/agencies/{receiver.id}/feeding-cameras/map").get_json()
    assert cells["kind"] == "cells" and sum(cell[2] for cell in cells["cells"]) == 2
    # A relation tied to no vendor (a moderator's, say) is fed by every camera of the agency.
    fbi = client.get(f"/api/v1/agencies/{world['fbi'].id}/feeding-cameras").get_json()
    assert fbi["cameras"] == 4


def test_the_importer_gives_each_relation_its_portals_vendor(app_context, tmp_path):
    import_agency_files(write_sample(tmp_path / "scrape"))
    assert set(db.session.scalars(select(AgencySharing.vendor))) == {"flock-safety"}
    assert portal_vendor("https://transparency.flocksafety.com/sylvania-oh-pd") == "flock-safety"
    assert portal_vendor("https://example.org/portal") is None


def test_the_cameras_that_feed_a_receiver_download_in_every_format(client, world, tmp_path):
    """Issue 22 item 4: the receiver's page and its JSON link its cameras in every format; each file holds
    exactly the cameras its page counts (current relations, a vendor's relation its vendor's cameras only)."""
    cameras = world["cameras"]
    for receiver, ids in [
        (world["fbi"], {"s1", "s2", "s3", "t1"}),
        (world["flock_receiver"], {"s1", "s2"}),  # not Sylvania's Motorola camera nor Toledo's Genetec one
        (world["toledo"], {"s1", "s2", "s3"}),  # not Toledo's own camera: Toledo does not share with itself
        (world["patrol"], set()),  # a retired relation feeds nothing
    ]:
        answer = client.get(f"/api/v1/agencies/{receiver.id}/feeding-cameras").get_json()
        assert answer["cameras"] == len(ids)
        assert set(answer["downloads"]) == {"csv", "geojson", "kml", "parquet", "fgb"}
        page = client.get(f"/agencies/{receiver.id}/feeding-cameras").get_data(as_text=True)
        assert f"/api/v1/cameras/selection.fgb?receiver={receiver.id}" in page
        listed = client.get(answer["downloads"]["csv"])
        assert listed.headers["Sightline-Cameras"] == str(answer["cameras"])
        rows = list(csv.DictReader(io.StringIO(listed.get_data(as_text=True))))
        assert sorted(int(row["id"]) for row in rows) == sorted(cameras[key].id for key in ids)
    fbi = client.get(f"/api/v1/agencies/{world['fbi'].id}/feeding-cameras").get_json()
    geojson = client.get(fbi["downloads"]["geojson"]).get_json()
    assert len(geojson["features"]) == 4 and geojson["licence"] == "ODbL-1.0"
    assert client.get(fbi["downloads"]["kml"]).get_data(as_text=True).count("<Placemark") == 4
    parquet = tmp_path / "feeding.parquet"
    parquet.write_bytes(client.get(fbi["downloads"]["parquet"]).data)
    assert pq.read_table(parquet).num_rows == 4
    fgb = tmp_path / "feeding.fgb"
    fgb.write_bytes(client.get(fbi["downloads"]["fgb"]).data)
    listing = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(fgb)], capture_output=True, text=True)
    assert "Feature Count: 4" in listing.stdout
    assert client.get("/api/v1/cameras/selection.csv?receiver=abc").status_code == 400
