"""Uploaded areas and routes made to hurt the parser (issue 20, findings 1 and 6): nothing a document holds
makes reading it cost more than its size allows, nor more on the next request, and every refusal is a 4xx with
a message, never a 500.

The first test is the review's probe: a GPX of about 296 KB whose comment declares 12,000 namespaces. gpxpy
registered each one in lxml's process-wide registry (12.4 s of CPU on a fresh worker, 24.8 s on the next)."""

import io
import json
import time
import xml.etree.ElementTree as stdlib_etree

import pytest
from lxml import etree

from tests.support.coverage_fixtures import ROUTE
from webapp.kernel.vocabulary import Limits

NAMESPACES = 12_000


def namespace_uri(number: int) -> str:
    return f"urn:x:{number}"


def gpx_with_namespaces_in_a_comment() -> bytes:
    declarations = " ".join(f'xmlns:p{number}="{namespace_uri(number)}"' for number in range(NAMESPACES))
    (lon1, lat), (lon2, _lat) = ROUTE
    points = "".join(
        f'<trkpt lat="{lat}" lon="{lon1 + (lon2 - lon1) * step / 20:.6f}"/>' for step in range(21)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- {declarations} -->\n'
        f'<gpx version="1.1" creator="probe" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def lxml_prefix_of(uri: str) -> str:
    """The prefix lxml writes for a namespace: ns0 unless something registered one for it process-wide."""
    return etree.tostring(etree.Element(f"{{{uri}}}probe")).decode().split(":", 1)[0].removeprefix("<")


def post_route(client, body: bytes):
    return client.post(
        "/api/v1/coverage/route",
        data={"file": (io.BytesIO(body), "probe.gpx")},
        content_type="multipart/form-data",
    )


def test_a_gpx_declaring_12000_namespaces_in_a_comment_costs_the_same_twice(client, app_context):
    document = gpx_with_namespaces_in_a_comment()
    assert 250_000 < len(document) < 350_000
    probes = [namespace_uri(number) for number in (0, 5_000, NAMESPACES - 1)]
    assert [lxml_prefix_of(uri) for uri in probes] == ["ns0"] * 3
    seconds = []
    for _ in range(2):
        started = time.thread_time()  # this thread's CPU: the test client runs the app in it
        response = post_route(client, document)
        seconds.append(time.thread_time() - started)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["length_km"] > 0
    assert max(seconds) < 1.0, seconds
    # No namespace of the document reached a process-wide registry (lxml's or the standard library's).
    assert [lxml_prefix_of(uri) for uri in probes] == ["ns0"] * 3
    assert not set(probes) & set(stdlib_etree._namespace_map)


def kml(body: str) -> bytes:
    return f'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">{body}</kml>'.encode()


def refusal(client, path: str, body: bytes) -> tuple[int, str]:
    response = client.post(f"/api/v1/coverage/{path}", data=body, content_type="application/octet-stream")
    return response.status_code, response.get_json()["message"]


def test_a_kml_of_5000_nested_folders_is_a_400(client):
    status, message = refusal(client, "polygon", kml("<Folder>" * 5000 + "</Folder>" * 5000))
    assert status == 400
    assert f"nested more than {Limits.SHAPES_MAX_DEPTH} levels" in message


def test_geojson_collections_nested_too_deep_are_a_400(client):
    document: dict = {"type": "LineString", "coordinates": [[-99.5, 40.5], [-99.4, 40.5]]}
    for _ in range(Limits.SHAPES_MAX_DEPTH + 1):
        document = {"type": "GeometryCollection", "geometries": [document]}
    status, message = refusal(client, "route", json.dumps(document).encode())
    assert status == 400 and "nested more than" in message


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("route", b'{"type": "LineString", "coordinates": [[' + b"1" * 400 + b", 40.5], [-99.4, 40.5]]}"),
        ("route", b'{"type": "LineString", "coordinates": [[-99.5, -' + b"9" * 400 + b"], [-99.4, 40.5]]}"),
        (
            "polygon",
            b'{"type": "Polygon", "coordinates": [[[-100, 40], [-99, 40], [-99, 41], [1'
            + b"0" * 400
            + b", 40]]]}",
        ),
    ],
)
def test_a_coordinate_of_400_digits_is_a_400(client, path, body):
    status, message = refusal(client, path, body)
    assert status == 400
    assert "Longitudes run from -180 to 180" in message


PARTS = Limits.SHAPES_MAX_PARTS + 1


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<gpx><trk><trkseg>" + b"<x/>" * PARTS + b"</trkseg></trk></gpx>", "tags"),
        # A 5 MB body of empty arrays took 127 MB and 1.5 s of CPU to parse into Python lists.
        (b'{"type": "MultiLineString", "coordinates": [' + b"[]," * PARTS + b"[]]}", "arrays and objects"),
    ],
)
def test_too_many_parts_are_refused_before_parsing(client, body, words):
    started = time.thread_time()
    status, message = refusal(client, "route", body)
    assert status == 400 and f"more than {Limits.SHAPES_MAX_PARTS} {words}" in message
    assert time.thread_time() - started < 0.5


def test_reading_stops_at_its_deadline_whatever_the_content(client, monkeypatch):
    """A budget of no time at all: the first element read is past it, and the answer says so."""
    monkeypatch.setattr(Limits, "SHAPES_READ_SECONDS", 0)
    points = "".join(f'<trkpt lat="40.5" lon="-99.{step:04d}"/>' for step in range(100))
    status, message = refusal(client, "route", f"<gpx><trk><trkseg>{points}</trkseg></trk></gpx>".encode())
    assert status == 400 and "took longer than 0 seconds" in message


def test_points_past_the_limit_are_counted_not_built(client):
    """The answer gives the exact count of a GPX of too many points, read without building them."""
    count = Limits.ROUTE_MAX_POINTS + 5
    points = '<trkpt lat="40.5" lon="-99.5"/>' * count
    status, message = refusal(client, "route", f"<gpx><trk><trkseg>{points}</trkseg></trk></gpx>".encode())
    assert status == 400 and f"has {count} points" in message


def test_kml_routes_polygons_with_holes_and_tracks_are_read(client, app_context):
    """The project's own KML reader: a LineString, a gx:Track and a Polygon whose hole comes first."""
    (lon1, lat), (lon2, _lat) = ROUTE
    line = f"<Placemark><LineString><coordinates>{lon1},{lat},0 {lon2},{lat},0</coordinates></LineString>"
    track = (
        '<Placemark><gx:Track xmlns:gx="http://www.google.com/kml/ext/2.2">'
        f"<when>2026-03-04T07:12:00Z</when><gx:coord>{lon1} {lat} 400</gx:coord>"
        f"<when>2026-03-04T07:13:00Z</when><gx:coord>{lon2} {lat} 400</gx:coord></gx:Track></Placemark>"
    )
    for body in (line + "</Placemark>", track):
        response = post_route(client, kml(f"<Document><Folder>{body}</Folder></Document>"))
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["length_km"] > 0
    hole = (
        "<innerBoundaryIs><LinearRing><coordinates>-99.9,40.1 -99.8,40.1 -99.8,40.2 -99.9,40.1"
        "</coordinates></LinearRing></innerBoundaryIs>"
    )
    outer = (
        "<outerBoundaryIs><LinearRing><coordinates>-100,40 -99.5,40 -99.5,41 -100,41 -100,40"
        "</coordinates></LinearRing></outerBoundaryIs>"
    )
    areas = []
    for rings in (hole + outer, outer):
        body = kml(f"<Placemark><MultiGeometry><Polygon>{rings}</Polygon></MultiGeometry></Placemark>")
        response = client.post("/api/v1/coverage/polygon", data=body, content_type="text/xml")
        assert response.status_code == 200, response.get_data(as_text=True)
        areas.append(response.get_json()["area_km2"])
    # The hole takes a hundredth of the outer ring (0.005 of 0.5 square degrees), about as much of its km².
    assert areas[0] / areas[1] == pytest.approx(0.99, abs=0.002)
