"""Issue 12, back to OpenStreetMap: the export of verified reported cameras OSM lacks and of moderators'
corrections of OSM nodes, read back by GDAL's OSM driver (a JOSM file) and validated against the osmChange
schema; the round trip export -> upload (ids as OSM assigns them) -> import -> export again proposes
nothing."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from tests.factories import make_camera, make_photo, make_sighting
from tests.support.osm import alpr_node, as_uploaded, nodes_of, overpass_file, parse_xml
from webapp.cameras.osm_export import build_export, josm_file, osmchange_file
from webapp.geo.bbox import parse_bbox
from webapp.kernel.data.models import Camera
from webapp.kernel.extensions import db

OSMCHANGE_XSD = Path(__file__).resolve().parents[1] / "support" / "osmchange.xsd"
CHICAGO = "-88,41.5,-87.5,42.2"
OGRINFO = shutil.which("ogrinfo")


def run_import(runner, path):
    result = runner.invoke(args=["cameras", "import", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def export_now(export_format: str = "osm") -> bytes:
    built = build_export(parse_bbox(CHICAGO))
    return josm_file(built) if export_format == "osm" else osmchange_file(built)


def mapped_world(runner, moderator_client, tmp_path):
    """Two verified reported cameras, a demo one, a hidden one, and an OSM node a moderator corrected."""
    reported = [
        make_camera(
            -87.6298,
            41.8781,
            vendor="flock-safety",
            directions=[270, 90],
            mount="pole",
            operator="Chicago PD",
        ),
        make_camera(-87.6400, 41.8900, vendor="genetec", directions=[], mount=None),
    ]
    sighting = make_sighting(
        -87.6298,
        41.8781,
        status="accepted",
        camera_id=reported[0].id,
        notes="my neighbour Bob",
        submitter_id=None,
    )
    make_photo(sighting)
    make_camera(-87.6500, 41.9000, demo=True, operator="Demo PD (demo data)")
    make_camera(-87.6550, 41.9050, status="hidden")
    original = alpr_node(
        500,
        41.8000,
        -87.6000,
        {
            "manufacturer": "Flock Safety",
            "camera:direction": "180;0",
            "ref": "CPD-17",
            "camera:mount": "pole",
        },
        version=3,
    )
    run_import(runner, overpass_file(tmp_path / "osm.json", original))
    corrected = db.session.scalars(select(Camera).where(Camera.osm_id == 500)).one()
    response = moderator_client.post(
        f"/api/v1/moderation/cameras/{corrected.id}/correct",
        json={
            "version": corrected.version,
            "fields": {"vendor": "motorola-vigilant", "directions": [0, 180, 90]},
        },
    )
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    return reported, corrected, original


def ogr_points(path: Path) -> list[str]:
    """The features of the OSM driver's `points` layer, one text block each."""
    if OGRINFO is None:
        pytest.fail("ogrinfo is missing: `make test` installs Debian's gdal-bin")
    output = subprocess.run(
        [OGRINFO, "--config", "OSM_USE_CUSTOM_INDEXING", "NO", "-ro", "-q", str(path), "points"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        block for block in re.split(r"\n(?=OGRFeature\(points\))", output) if block.startswith("OGRFeature")
    ]


def test_the_josm_file_reads_back_in_gdal_with_deflocks_tags(runner, moderator_client, app_context, tmp_path):
    reported, corrected, _original = mapped_world(runner, moderator_client, tmp_path)
    data = export_now("osm")
    path = tmp_path / "export.osm"
    path.write_bytes(data)

    features = ogr_points(path)
    assert len(features) == 3  # two new cameras and one correction; no demo, hidden or unchanged camera
    new_flock = next(block for block in features if "Chicago PD" in block)
    assert "man_made (String) = surveillance" in new_flock
    for tag in (
        '"surveillance"=>"public"',
        '"surveillance:type"=>"ALPR"',
        '"surveillance:zone"=>"traffic"',
        '"camera:type"=>"fixed"',
        '"camera:mount"=>"pole"',
        '"direction"=>"90;270"',
        '"manufacturer"=>"Flock Safety"',
        '"manufacturer:wikidata"=>"Q108485435"',
        '"operator"=>"Chicago PD"',
    ):
        assert tag in new_flock, (tag, new_flock)
    assert "POINT (-87.6298 41.8781)" in new_flock
    genetec = next(block for block in features if "Genetec" in block)
    assert '"manufacturer:wikidata"=>"Q30295174"' in genetec and "direction" not in genetec

    nodes = {int(node["id"]): node for node in nodes_of(data)}
    assert sorted(nodes) == [-2, -1, 500]
    assert all(node["action"] == "modify" for node in nodes.values())
    modified = nodes[500]
    assert modified["version"] == "3" and "version" not in nodes[-1]
    # The correction keeps every tag it does not correct, the mapper's key and order of directions.
    assert modified["tags"]["ref"] == "CPD-17" and modified["tags"]["camera:mount"] == "pole"
    assert modified["tags"]["camera:direction"] == "180;0;90" and "direction" not in modified["tags"]
    assert modified["tags"]["manufacturer"] == "Motorola Solutions"
    assert modified["tags"]["manufacturer:wikidata"] == "Q634815"
    assert (modified["lat"], modified["lon"]) == ("41.8000000", "-87.6000000")
    # Never the reporter, a report's notes or day, or a photo.
    text = data.decode()
    for private in ("Bob", "neighbour", "photo", "2026-", "Demo PD", "sighting"):
        assert private not in text, private


def test_the_osmchange_file_has_the_schemas_shape(runner, moderator_client, app_context, tmp_path):
    mapped_world(runner, moderator_client, tmp_path)
    data = export_now("osc")
    schema = etree.XMLSchema(etree.parse(str(OSMCHANGE_XSD)))
    document = parse_xml(data)
    assert schema.validate(document), schema.error_log
    assert [block.tag for block in document] == ["create", "modify"]
    assert [node.get("id") for node in document.find("create")] == ["-1", "-2"]
    assert {node.get("version") for node in document.find("create")} == {"0"}
    [modified] = document.find("modify")
    assert (modified.get("id"), modified.get("version")) == ("500", "3")
    # The schema catches what the API would refuse: a tag value over 255 characters, a missing version.
    broken = parse_xml(data)
    broken.find("modify")[0].attrib.pop("version")
    assert not schema.validate(broken)


def test_round_trip_export_upload_import_then_export_again_is_empty(
    runner, moderator_client, app_context, tmp_path
):
    reported, corrected, original = mapped_world(runner, moderator_client, tmp_path)
    before = db.session.scalar(select(func.count(Camera.id)))
    first = export_now("osm")
    assert len(nodes_of(first)) == 3

    # The mapper uploads the file; OpenStreetMap gives the new nodes ids and every node a new version.
    uploaded = as_uploaded(first, first_new_id=9_100_000_001)
    result = run_import(runner, overpass_file(tmp_path / "after-upload.json", *uploaded))
    assert "2  reported cameras came back from OpenStreetMap" in result.output
    assert "1  now agree with OpenStreetMap" in result.output

    assert nodes_of(export_now("osm")) == []
    assert nodes_of(export_now("osc")) == []
    # One camera, one record: no duplicate was created, the reported cameras carry their OSM ids now.
    assert db.session.scalar(select(func.count(Camera.id))) == before
    linked = {
        camera.id: camera
        for camera in db.session.scalars(select(Camera).where(Camera.id.in_([r.id for r in reported])))
    }
    assert sorted(camera.osm_id for camera in linked.values()) == [9_100_000_001, 9_100_000_002]
    assert {camera.source for camera in linked.values()} == {"osm"}
    assert db.session.get(Camera, corrected.id).moderated_fields == []


def test_the_export_route_is_bounded_by_a_bbox_and_answers_both_formats(
    runner, moderator_client, app_context, tmp_path
):
    mapped_world(runner, moderator_client, tmp_path)
    josm = moderator_client.get(f"/moderate/osm/export?bbox={CHICAGO}")
    assert josm.status_code == 200 and josm.mimetype == "application/x-osm+xml"
    assert "sightline-to-osm.osm" in josm.headers["Content-Disposition"]
    assert "2 new cameras, 1 corrections" in josm.headers["X-Sightline-Export"]
    osc = moderator_client.get(f"/moderate/osm/export?bbox={CHICAGO}&format=osc")
    assert osc.status_code == 200 and parse_xml(osc.data).tag == "osmChange"
    elsewhere = moderator_client.get("/moderate/osm/export?bbox=-72,42,-71,43")
    assert nodes_of(elsewhere.data) == []
    assert moderator_client.get("/moderate/osm/export").status_code == 400
    assert moderator_client.get(f"/moderate/osm/export?bbox={CHICAGO}&format=gpx").status_code == 400


def test_the_cli_writes_the_file(runner, moderator_client, app_context, tmp_path):
    mapped_world(runner, moderator_client, tmp_path)
    output = tmp_path / "out.osc"
    result = runner.invoke(
        args=["cameras", "osm-export", "--bbox", CHICAGO, "--format", "osc", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "out.osc: 2 new cameras, 1 corrections" in result.output
    assert len(nodes_of(output.read_bytes())) == 3
