"""`flask cameras import`: Overpass JSON and DeFlock's camera array, gzipped or not, told apart by content;
OSM tags mapped onto our vocabulary; bad records skipped and counted; re-imports update, never duplicate."""

import gzip
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from tests.support.rows import camera_count
from tests.support.shipped_data import CAMERAS
from webapp.camera_fields.vendors import normalise_vendor
from webapp.cameras.osm_files import CAMERA_ARRAY, OVERPASS, parse_cameras, read_camera_file
from webapp.cameras.osm_tags import read_osm_directions as parse_directions
from webapp.cameras.osm_tags import read_osm_mount as parse_mount
from webapp.kernel.data.models import Camera
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import MOUNTS


def alpr(**tags) -> dict:
    return {"man_made": "surveillance", "surveillance:type": "ALPR", **tags}


def overpass(*elements) -> dict:
    return {"version": 0.6, "generator": "Overpass API", "elements": list(elements)}


def write(path: Path, document, gzipped: bool = False) -> Path:
    data = json.dumps(document).encode()
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path


def run_import(runner, path: Path):
    return runner.invoke(args=["cameras", "import", str(path)])


def camera(osm_type: str, osm_id: int) -> Camera:
    query = select(Camera).where(Camera.osm_type == osm_type, Camera.osm_id == osm_id)
    return db.session.scalars(query).one()


def lonlat(row: Camera) -> tuple[float, float]:
    return tuple(
        db.session.execute(
            select(func.ST_X(Camera.geom), func.ST_Y(Camera.geom)).where(Camera.id == row.id)
        ).one()
    )


def row_versions() -> str:
    """A fingerprint of every camera row's physical version: any UPDATE, even one that changes no value,
    writes a new tuple at a new ctid (and a new `version`), so an untouched table keeps its fingerprint."""
    return db.session.scalar(
        text("SELECT md5(string_agg(ctid::text || ':' || version, ',' ORDER BY id)) FROM cameras")
    )


OVERPASS_SAMPLE = overpass(
    {
        "type": "node",
        "id": 101,
        "lat": 41.88,
        "lon": -87.63,
        "tags": alpr(manufacturer="Flock Safety", operator="  Chicago   Police ", direction="90;180"),
    },
    {"type": "node", "id": 102, "lat": 41.89, "lon": -87.64, "tags": alpr(brand="Flock Group Inc.")},
    {
        "type": "node",
        "id": 103,
        "lat": 41.90,
        "lon": -87.65,
        "tags": alpr(
            **{"surveillance:brand": "Flock Safety Inc", "camera:direction": "NE", "camera:mount": "pole"}
        ),
    },
    {
        "type": "way",
        "id": 201,
        "center": {"lat": 40.71, "lon": -74.0},
        "nodes": [1, 2, 3],
        "tags": alpr(
            manufacturer="Motorola Solutions", direction="SB", **{"camera:mount": "traffic_signals"}
        ),
    },
    {
        "type": "node",
        "id": 104,
        "lat": 33.0,
        "lon": -112.0,
        "tags": alpr(direction="338-23", brand="Genetec"),
    },
    # Not an ALPR: an ordinary CCTV camera, and an untagged node of a way.
    {"type": "node", "id": 301, "lat": 41.0, "lon": -87.0, "tags": {"surveillance:type": "camera"}},
    {"type": "node", "id": 302, "lat": 41.0, "lon": -87.0},
    # Bad records: no coordinates, out of range, a way without its centre, no id.
    {"type": "node", "id": 401, "tags": alpr()},
    {"type": "node", "id": 402, "lat": 95.0, "lon": -87.0, "tags": alpr()},
    {"type": "node", "id": 403, "lat": 41.0, "lon": -187.0, "tags": alpr()},
    {"type": "way", "id": 404, "tags": alpr()},
    {"type": "node", "lat": 41.0, "lon": -87.0, "tags": alpr()},
    "not an element",
)


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_overpass_import_maps_tags_and_counts_skips(runner, app_context, tmp_path, gzipped):
    # A misleading name: the format is detected from the content, never from the extension.
    path = write(tmp_path / "cameras.txt", OVERPASS_SAMPLE, gzipped)

    result = run_import(runner, path)

    assert result.exit_code == 0, result.output
    assert "Overpass JSON, 13 records" in result.output
    assert "created          5" in result.output
    assert "skipped          8" in result.output
    assert "2  not tagged surveillance:type=ALPR" in result.output
    assert "2  no coordinates" in result.output
    assert "2  coordinates out of range" in result.output
    assert "1  no valid OSM type and id" in result.output
    assert "1  not an object" in result.output
    assert camera_count() == 5

    first = camera("node", 101)
    assert (first.vendor, first.directions, first.operator) == ("flock-safety", [90, 180], "Chicago Police")
    assert (first.status, first.source) == ("verified", "osm")
    assert lonlat(first) == pytest.approx((-87.63, 41.88))
    # Three spellings of Flock, one vendor.
    assert {camera("node", 102).vendor, camera("node", 103).vendor} == {"flock-safety"}
    assert (camera("node", 103).directions, camera("node", 103).mount) == ([45], "pole")
    way = camera("way", 201)
    assert (way.vendor, way.directions, way.mount) == ("motorola-vigilant", [180], "traffic_signal")
    assert lonlat(way) == pytest.approx((-74.0, 40.71))
    # A field of view from 338 to 23 degrees faces north.
    assert camera("node", 104).directions == [0]


def test_camera_array_import_reads_deflock_fields(runner, app_context, tmp_path):
    records = [
        {
            "osmId": 1,
            "osmType": "node",
            "lat": 35.16,
            "lon": -101.92,
            "operator": "Amarillo Police Department",
            "brand": "Flock Safety",
            "direction": 270.0,
            "directionCardinal": "270",
            "mountType": "pole",
        },
        # `direction` holds only the first bearing; `directionCardinal` holds them all.
        {"osmId": 2, "osmType": "node", "lat": 43.08, "lon": -71.47, "directionCardinal": "355;175"},
        {
            "osmId": 3,
            "osmType": "way",
            "lat": 42.0,
            "lon": -71.0,
            "brand": "Neology, Inc.",
            "direction": 75.0,
        },
        {
            "osmId": 4,
            "osmType": "node",
            "lat": 42.1,
            "lon": -71.1,
            "brand": "Q108485435",
            "directionCardinal": "WB",
        },
        {
            "osmId": 5,
            "osmType": "node",
            "lat": 42.2,
            "lon": -71.2,
            "directionCardinal": "270230",
            "mountType": "wall",
        },
        {"osmId": 6, "osmType": "node", "lat": None, "lon": -71.2},
        {"osmId": 7, "osmType": "changeset", "lat": 42.2, "lon": -71.2},
        {
            "osmId": 1,
            "osmType": "node",
            "lat": 35.16,
            "lon": -101.92,
            "brand": "Flock Safety",
            "mountType": "pole",
            "operator": "Amarillo Police Department",
            "directionCardinal": "270",
        },
    ]
    path = write(tmp_path / "cameras.json.gz", records, gzipped=True)

    result = run_import(runner, path)

    assert result.exit_code == 0, result.output
    assert "camera array, 8 records" in result.output
    assert "created          5" in result.output
    assert "1  same OSM object again in the file" in result.output
    assert "1  no coordinates" in result.output
    assert "1  no valid OSM type and id" in result.output
    assert "directions not understood on 1 cameras" in result.output
    first = camera("node", 1)
    assert (first.vendor, first.mount, first.directions, first.operator) == (
        "flock-safety",
        "pole",
        [270],
        "Amarillo Police Department",
    )
    # Directions are stored in one canonical order whatever the source (webapp.camera_fields.rules).
    assert camera("node", 2).directions == [175, 355]
    assert (camera("node", 2).vendor, camera("node", 2).mount) == ("unknown", None)
    assert (camera("way", 3).vendor, camera("way", 3).directions) == ("neology", [75])
    assert (camera("node", 4).vendor, camera("node", 4).directions) == ("flock-safety", [270])
    # Two bearings run together are not guessed at: the camera is kept, without a direction.
    assert (camera("node", 5).directions, camera("node", 5).mount) == ([], "building")


def test_reimport_updates_instead_of_duplicating(runner, app_context, tmp_path):
    path = write(tmp_path / "a.json", OVERPASS_SAMPLE)
    assert run_import(runner, path).exit_code == 0
    before = {row.osm_id: (row.id, row.version) for row in db.session.scalars(select(Camera))}
    fingerprint = row_versions()

    again = run_import(runner, path)

    assert again.exit_code == 0, again.output
    assert "created          0" in again.output
    assert "updated          0" in again.output
    assert "unchanged        5" in again.output
    assert row_versions() == fingerprint

    # The mapper moves a camera and corrects its vendor; a moderator had hidden another one meanwhile.
    hidden = camera("node", 102)
    hidden.status = "hidden"
    db.session.commit()
    changed = json.loads(json.dumps(OVERPASS_SAMPLE))
    changed["elements"][0]["lat"] = 41.8805
    changed["elements"][0]["tags"]["manufacturer"] = "Motorola Solutions"
    changed["elements"][1]["tags"]["direction"] = "W"
    changed["elements"].append({"type": "node", "id": 105, "lat": 30.0, "lon": -90.0, "tags": alpr()})
    third = run_import(runner, write(tmp_path / "b.json", changed))

    assert third.exit_code == 0, third.output
    assert "created          1" in third.output
    assert "updated          2" in third.output
    assert "unchanged        3" in third.output
    assert camera_count() == 6
    db.session.expire_all()
    moved = camera("node", 101)
    assert moved.id == before[101][0]
    assert moved.vendor == "motorola-vigilant"
    assert moved.version == before[101][1] + 1
    assert lonlat(moved) == pytest.approx((-87.63, 41.8805))
    # An import never re-publishes a camera a moderator hid.
    assert (camera("node", 102).status, camera("node", 102).directions) == ("hidden", [270])


@pytest.mark.parametrize(
    "content",
    [
        b"osm_id,lat,lon\n1,41.0,-87.0\n",
        b'{"type": "FeatureCollection", "features": []}',
        b"[1, 2, 3]",
        b"\x1f\x8b\x08\x00 truncated gzip",
        gzip.compress(b"<osm version='0.6'><node id='1' lat='1' lon='2'/></osm>"),
        b"\xff\xfe\x00binary",
    ],
    ids=["csv", "geojson", "numbers", "broken-gzip", "gzipped-xml", "binary"],
)
def test_file_of_no_known_format_exits_1_with_one_line_and_writes_nothing(
    runner, app_context, tmp_path, content
):
    assert run_import(runner, write(tmp_path / "before.json", OVERPASS_SAMPLE)).exit_code == 0
    before = camera_count()
    path = tmp_path / "cameras.json"
    path.write_bytes(content)

    result = run_import(runner, path)

    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ") and str(path) in lines[0]
    assert camera_count() == before


def test_missing_file_is_a_usage_error(runner, tmp_path):
    result = run_import(runner, tmp_path / "absent.json")
    assert result.exit_code == 2
    assert "does not exist" in result.output


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("90;180", ([90, 180], False)),
        ("90, 270", ([90, 270], False)),
        ("95, 95", ([95], False)),
        ("NE", ([45], False)),
        ("nne", ([22], False)),
        ("north", ([0], False)),
        ("NB", ([0], False)),
        ("EB;WB", ([90, 270], False)),
        ("-20", ([340], False)),
        ("360", ([0], False)),
        ("45-90", ([68], False)),
        ("338-23", ([0], False)),
        ("328-13;82-127", ([350, 104], False)),
        (" 180 ; ", ([180], False)),
        ("180;nw", ([180, 315], False)),
        (270.0, ([270], False)),
        ("270230", ([], True)),
        ("forward", ([], True)),
        ("345;270:360", ([345], True)),
        ("0-360", ([], True)),
        (None, ([], False)),
        ("", ([], False)),
    ],
)
def test_directions_parser(raw, expected):
    assert parse_directions(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("pole", "pole"),
        ("street_lamp", "pole"),
        ("traffic_signals", "traffic_signal"),
        ("Traffic Signals", "traffic_signal"),
        ("bridge", "overpass"),
        ("wall", "building"),
        ("tree", "other"),
        ("", None),
        (None, None),
    ],
)
def test_mount_mapping(raw, expected):
    assert parse_mount(raw) == expected


@pytest.mark.parametrize(
    ("raw", "slug"),
    [
        ("Flock Safety", "flock-safety"),
        ("Flock Group Inc.", "flock-safety"),
        ("Flock Safety Inc", "flock-safety"),
        ("flock", "flock-safety"),
        ("Q108485435", "flock-safety"),
        ("Motorola Solutions(Vigilant)", "motorola-vigilant"),
        ("Motorolla", "motorola-vigilant"),
        ("Neology, Inc.", "neology"),
        ("Leonardo US Cyber and Security Solutions, Inc.", "leonardo-elsag"),
        ("Ekin Box Spotter", "ekin"),
        ("Unkn", "unknown"),
        ("Obvio, Inc.", "obvio"),
        (None, "unknown"),
    ],
)
def test_vendor_normalisation(raw, slug):
    assert normalise_vendor(raw) == slug


def test_shipped_deflock_file_imports_61768_cameras_and_a_second_import_changes_nothing(runner, app_context):
    camera_file = read_camera_file(CAMERAS)
    assert (camera_file.file_format, len(camera_file.items)) == (CAMERA_ARRAY, 61_768)

    started = time.perf_counter()
    first = run_import(runner, CAMERAS)
    elapsed = time.perf_counter() - started

    assert first.exit_code == 0, first.output
    assert "created     61,768" in first.output
    assert camera_count() == 61_768
    counts = dict(db.session.execute(text("SELECT osm_type, count(*) FROM cameras GROUP BY osm_type")).all())
    assert counts == {"node": 61_751, "way": 17}
    # Tens of seconds alone (docs/benchmarks.md); the bound catches a runaway, not a busy shared machine.
    assert elapsed < 180, f"import took {elapsed:.1f} s"
    fingerprint = row_versions()

    second = run_import(runner, CAMERAS)

    assert second.exit_code == 0, second.output
    assert "created          0" in second.output
    assert "updated          0" in second.output
    assert "unchanged   61,768" in second.output
    assert camera_count() == 61_768
    assert row_versions() == fingerprint


def test_overpass_detection_needs_elements(tmp_path):
    assert read_camera_file(write(tmp_path / "o.json", overpass())).file_format == OVERPASS
    assert read_camera_file(write(tmp_path / "a.json", [])).file_format == CAMERA_ARRAY


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
overpass_keys = st.sampled_from(["type", "id", "lat", "lon", "center", "tags"])
alpr_tags = st.fixed_dictionaries(
    {"surveillance:type": st.sampled_from(["ALPR", "alpr", " ALPR "])},
    optional={
        name: json_values
        for name in ("manufacturer", "brand", "operator", "direction", "camera:direction", "camera:mount")
    },
)
array_keys = st.sampled_from(
    ["osmId", "osmType", "lat", "lon", "brand", "operator", "direction", "mountType"]
)


@settings(max_examples=300, deadline=None)
@given(
    element=st.dictionaries(overpass_keys, json_values)
    | st.fixed_dictionaries(
        {
            "type": st.sampled_from(["node", "way"]),
            "id": st.integers(min_value=1, max_value=2**40),
            "tags": alpr_tags,
        },
        optional={"lat": json_values, "lon": json_values, "center": json_values},
    )
    | st.fixed_dictionaries(
        {
            "type": st.just("node"),
            "id": json_values,
            "lat": st.floats(),
            "lon": st.floats(),
            "tags": alpr_tags,
        }
    )
    | st.fixed_dictionaries(
        {
            "type": st.just("node"),
            "id": st.integers(min_value=1, max_value=2**40),
            "lat": st.floats(min_value=-90, max_value=90),
            "lon": st.floats(min_value=-180, max_value=180),
            "tags": alpr_tags,
        }
    )
    | json_values,
    item=st.dictionaries(array_keys, json_values)
    | st.fixed_dictionaries(
        {
            "osmType": st.just("node"),
            "osmId": st.integers(min_value=1),
            "lat": st.just(40.0),
            "lon": st.just(-80.0),
        },
        optional={
            name: json_values for name in ("brand", "operator", "direction", "directionCardinal", "mountType")
        },
    )
    | json_values,
)
def test_any_record_is_read_or_skipped_never_a_crash(element, item):
    """Whatever a record holds (wrong types, NaN, huge numbers, nesting), it becomes a valid camera or a
    counted skip."""
    for file_format, record in ((OVERPASS, element), (CAMERA_ARRAY, item)):
        cameras, summary = parse_cameras(file_format, [record])
        assert len(cameras) + summary.skipped_total == 1
        for camera in cameras:
            assert -180 <= camera.lon <= 180 and -90 <= camera.lat <= 90
            assert all(0 <= bearing <= 359 for bearing in camera.directions)
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", camera.vendor)
            assert camera.mount in {*MOUNTS, None}
            assert 0 < camera.osm_id < 2**63


def test_if_empty_imports_only_into_a_database_without_openstreetmap_cameras(runner, app_context, tmp_path):
    assert runner.invoke(args=["cameras", "seed-demo", "--count", "3"]).exit_code == 0
    first_file = write(tmp_path / "first.json", overpass(alpr_element(1)))
    second_file = write(tmp_path / "second.json", overpass(alpr_element(2)))

    first = runner.invoke(args=["cameras", "import", "--if-empty", str(first_file)])
    second = runner.invoke(args=["cameras", "import", "--if-empty", str(second_file)])

    assert "created          1" in first.output, first.output
    assert "already holds OpenStreetMap cameras; nothing imported" in second.output
    assert camera_count() == 4  # three demo cameras (not OpenStreetMap's) and the first file's one


def alpr_element(osm_id: int) -> dict:
    return {"type": "node", "id": osm_id, "lat": 41.0, "lon": -87.0 - osm_id / 100, "tags": alpr()}
