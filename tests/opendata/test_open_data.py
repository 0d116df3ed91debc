"""Open data: verified cameras by bounded area, the count in a view, and the streamed full exports, each
with the ODbL licence and attribution and nothing about submitters or sightings."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from tests.factories import make_camera, make_sighting
from webapp.geo import public_cameras as queries
from webapp.opendata.export_files import write_exports

CHICAGO = (-87.6298, 41.8781)
CHICAGO_BBOX = "-87.7,41.8,-87.6,41.9"
PUBLIC_PROPERTIES = {
    "id",
    "vendor",
    "operator",
    "directions",
    "mount",
    "first_reported",
    "last_confirmed",
    "confirmations",
    "source",
    "osm_type",
    "osm_id",
}
KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture
def cameras(app_context):
    reported = make_camera(
        *CHICAGO,
        vendor="flock-safety",
        operator="Chicago PD",
        directions=[90, 270],
        mount="pole",
        first_reported_month=date(2025, 11, 1),
        last_confirmed_month=date(2026, 3, 1),
        confirmations=3,
    )
    imported = make_camera(-87.65, 41.85, source="osm", osm_type="node", osm_id=123456789, directions=[])
    make_camera(-87.64, 41.86, status="hidden")
    make_camera(-87.63, 41.87, status="removed")
    make_sighting(-87.62, 41.88, notes="seen on my way to work")
    return reported, imported


def test_bbox_answers_geojson_of_verified_cameras_with_public_fields_only(client, cameras):
    reported, imported = cameras
    response = client.get(f"/api/v1/cameras?bbox={CHICAGO_BBOX}")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert 'rel="license"' in response.headers["Link"]
    collection = response.json
    assert collection["licence"] == "ODbL-1.0"
    assert "OpenStreetMap contributors" in collection["attribution"]
    by_id = {feature["id"]: feature for feature in collection["features"]}
    assert set(by_id) == {reported.id, imported.id}
    assert all(set(feature["properties"]) == PUBLIC_PROPERTIES for feature in by_id.values())
    first = by_id[reported.id]
    assert first["geometry"]["coordinates"] == pytest.approx(list(CHICAGO))
    assert first["properties"] | {"id": None} == {
        "id": None,
        "vendor": "flock-safety",
        "operator": "Chicago PD",
        "directions": [90, 270],
        "mount": "pole",
        "first_reported": "2025-11",
        "last_confirmed": "2026-03",
        "confirmations": 3,
        "source": "report",
        "osm_type": None,
        "osm_id": None,
    }
    assert by_id[imported.id]["properties"]["osm_id"] == 123456789
    assert "notes" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("", "required"),
        ("?bbox=", "required"),
        ("?bbox=1,2,3", "four numbers"),
        ("?bbox=a,b,c,d", "four numbers"),
        ("?bbox=nan,1,2,3", "finite"),
        ("?bbox=-87,41,-88,42", "west < east"),
        ("?bbox=-87,41,-86,95", "south < north"),
        ("?bbox=-100,30,-80,50", "narrow the bbox"),
    ],
)
def test_a_bad_or_too_large_bbox_answers_a_400_that_says_what_to_do(client, query, words):
    response = client.get(f"/api/v1/cameras{query}")
    assert response.status_code == 400
    assert response.json["error"] == "bad_bbox"
    assert words.lower() in response.json["message"].lower()


def test_too_many_cameras_in_the_area_answers_a_400(client, cameras, monkeypatch):
    # The real limit is 5,000; a lower one keeps the test small. Three verified cameras are in the bbox.
    make_camera(-87.61, 41.89)
    monkeypatch.setattr(queries, "MAX_BBOX_FEATURES", 2)
    response = client.get(f"/api/v1/cameras?bbox={CHICAGO_BBOX}")
    assert response.status_code == 400
    assert "more than 2 cameras" in response.json["message"].lower()
    assert "narrow the bbox" in response.json["message"].lower()


def test_count_in_view_is_exact_for_a_city(client, cameras):
    make_camera(-87.66, 41.84, demo=True)  # drawn on the map, never counted
    city = client.get(f"/api/v1/cameras/count?bbox={CHICAGO_BBOX}").json
    assert city["cameras"] == 2 and city["exact"] is True
    assert client.get("/api/v1/cameras/count?bbox=oops").status_code == 400


def test_geojson_export_streams_every_verified_camera(client, cameras):
    reported, imported = cameras
    write_exports()
    response = client.get("/api/v1/cameras.geojson")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "application/geo+json"
    assert "attachment" in response.headers["Content-Disposition"]
    collection = json.loads(response.get_data(as_text=True))
    assert collection["type"] == "FeatureCollection"
    assert collection["licence"] == "ODbL-1.0" and "OpenStreetMap" in collection["attribution"]
    assert [feature["id"] for feature in collection["features"]] == sorted([reported.id, imported.id])
    assert all(set(feature["properties"]) == PUBLIC_PROPERTIES for feature in collection["features"])


def test_csv_export_has_a_header_row_and_attribution_on_every_row(client, cameras):
    reported, imported = cameras
    write_exports()
    response = client.get("/api/v1/cameras.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [int(row["id"]) for row in rows] == sorted([reported.id, imported.id])
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[reported.id]["directions"] == "90;270"
    assert by_id[reported.id]["first_reported"] == "2025-11"
    assert float(by_id[reported.id]["lat"]) == pytest.approx(CHICAGO[1])
    assert by_id[imported.id]["osm_id"] == "123456789"
    assert all(row["licence"] == "ODbL-1.0" for row in rows)
    assert "OpenStreetMap contributors" in by_id[imported.id]["attribution"]
    assert "Sightline contributors" in by_id[reported.id]["attribution"]


def test_kml_export_is_valid_kml_with_the_licence(client, cameras):
    reported, imported = cameras
    write_exports()
    response = client.get("/api/v1/cameras.kml")
    assert response.status_code == 200 and response.is_streamed
    document = ET.fromstring(response.get_data())  # noqa: S314 (our own server's output)
    placemarks = document.findall(f"{KML}Document/{KML}Placemark")
    assert {placemark.get("id") for placemark in placemarks} == {
        f"camera-{reported.id}",
        f"camera-{imported.id}",
    }
    description = document.find(f"{KML}Document/{KML}description").text
    assert "Open Database License" in description and "OpenStreetMap" in description
    first = next(p for p in placemarks if p.get("id") == f"camera-{reported.id}")
    coordinates = first.find(f"{KML}Point/{KML}coordinates").text.split(",")
    assert [float(value) for value in coordinates] == pytest.approx(list(CHICAGO))
    data = {item.get("name"): item.find(f"{KML}value").text for item in first.iter(f"{KML}Data")}
    assert data["vendor"] == "flock-safety" and data["directions"] == "90;270"


def test_exports_of_an_empty_database_are_well_formed(client, app_context):
    write_exports()
    assert json.loads(client.get("/api/v1/cameras.geojson").get_data(as_text=True))["features"] == []
    assert client.get("/api/v1/cameras.csv").get_data(as_text=True).startswith("id,lat,lon,")
    kml = client.get("/api/v1/cameras.kml").get_data()
    assert ET.fromstring(kml).tag == f"{KML}kml"  # noqa: S314 (our own server's output)


def test_an_unknown_export_format_is_a_404(client):
    assert client.get("/api/v1/cameras.xlsx").status_code == 404


def test_exports_read_the_table_in_batches_not_all_at_once(app_context, cameras, monkeypatch):
    """A flat memory profile needs real batches from the server-side cursor (text() queries ignore the
    yield_per option alone: one partition of every row is what it gave)."""
    make_camera(-87.61, 41.89)
    monkeypatch.setattr(queries, "EXPORT_BATCH_ROWS", 2)
    batches = list(queries.all_citable_cameras())
    assert [len(batch) for batch in batches] == [2, 1]


def test_published_positions_carry_six_decimals(client, app_context):
    from webapp.opendata.formats import csv_stream, geojson_stream, kml_stream

    camera = make_camera(-87.62981234567, 41.87811234567)
    geojson = client.get(f"/api/v1/cameras?bbox={CHICAGO_BBOX}").get_json()
    (feature,) = [item for item in geojson["features"] if item["id"] == camera.id]
    assert feature["geometry"]["coordinates"] == [-87.629812, 41.878112]
    nearby = client.get("/submit/nearby?lat=41.87811&lon=-87.62981").get_json()["cameras"]
    assert (nearby[0]["lon"], nearby[0]["lat"]) == (-87.629812, 41.878112)
    exports = {
        name: "".join(serialise(queries.all_citable_cameras(), "2026-12-01T00:00Z"))
        for name, serialise in (("geojson", geojson_stream), ("csv", csv_stream), ("kml", kml_stream))
    }
    for name, text in exports.items():
        assert "-87.629812" in text and "41.878112" in text, name
        assert "-87.6298123" not in text and "41.8781123" not in text, name
