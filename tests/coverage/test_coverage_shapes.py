"""Drawn and uploaded areas and routes: hand-computed answers (tests/support/coverage_fixtures.py), GPX and
KML files made here, and bad input (NaN, a polygon that crosses itself, a route of one point, a 50 MB file, a
polygon covering the world, an XML bomb) refused with a 4xx and a message, leaving nothing behind."""

import contextlib
import csv
import io
import json
import math
import tempfile
import threading
from http.client import HTTPConnection
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.factories import make_camera
from tests.support.coverage_fixtures import ROUTE, ROUTE_LAT, load_testland, place_cameras, square
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import Limits


@pytest.fixture
def testland(app_context, tmp_path):
    load_testland(tmp_path)
    return place_cameras()


@pytest.fixture
def committed_testland(app, committing_db, tmp_path):
    """The fixtures committed for real, so that a refusal's rollback cannot hide a write."""
    with app.app_context():
        load_testland(tmp_path)
        place_cameras()
        db.session.commit()


def post_json(client, path: str, document) -> object:
    return client.post(path, data=json.dumps(document), content_type="application/geo+json")


def route_length_km() -> float:
    """Great-circle length of the fixture route (both ends on one parallel), by the haversine formula."""
    (lon1, lat), (lon2, _lat) = ROUTE
    phi, dlon = math.radians(lat), math.radians(lon2 - lon1)
    return 2 * 6371.0088 * math.asin(abs(math.cos(phi) * math.sin(dlon / 2)))


GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Test Tracker 2.3" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
     xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">
  <metadata><name>Commute</name><time>2026-03-04T07:12:00Z</time></metadata>
  <trk><name>Morning drive</name><type>driving</type>
    <trkseg>
{points}
    </trkseg>
  </trk>
</gpx>
"""


def gpx_track(points: list[tuple[float, float]]) -> bytes:
    lines = "\n".join(
        f'      <trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{400 + index * 0.5:.1f}</ele>'
        f"<time>2026-03-04T07:{12 + index // 60:02d}:{index % 60:02d}Z</time></trkpt>"
        for index, (lon, lat) in enumerate(points)
    )
    return GPX.format(points=lines).encode()


def kml_document(placemarks: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Reporter's areas</name>
<Style id="s"><LineStyle><color>ff0000ff</color><width>3</width></LineStyle></Style>
<Folder><name>Drawn</name>{placemarks}</Folder></Document></kml>""".encode()


def test_polygon_of_the_square_county(client, testland):
    answer = post_json(client, "/api/v1/coverage/polygon?top=1", square(-100))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert (body["cameras"], body["imported"], body["reported"]) == (3, 1, 2)
    assert body["per_km2"] == round(3 / body["area_km2"], 6)
    assert body["vendors"][0] == {"vendor": "flock-safety", "name": "Flock Safety", "cameras": 2}
    assert {feature["id"] for feature in body["features"]["features"]} == {
        testland[key].id for key in ("A", "B", "C")
    }
    coordinates = next(
        f["geometry"]["coordinates"] for f in body["features"]["features"] if f["id"] == testland["B"].id
    )
    assert coordinates == [-99.45, 40.5008]
    assert answer.headers["Cache-Control"] == "no-store"
    assert "never demo" in body["method"]["counted"]


def test_a_polygons_cameras_download_once_the_polygon_is_kept(client, testland):
    """Issue 22, item 4: the polygon answer points at where to keep the polygon; kept, its downloads hold the
    cameras the answer counted."""
    body = post_json(client, "/api/v1/coverage/polygon", square(-100)).get_json()
    assert "downloads" not in body  # nothing kept by asking
    kept = post_json(client, body["keep_area"].replace("http://localhost", ""), square(-100))
    assert kept.status_code == 201, kept.get_data(as_text=True)
    listed = client.get(kept.get_json()["downloads"]["csv"])
    rows = csv.DictReader(io.StringIO(listed.get_data(as_text=True)))
    assert {int(row["id"]) for row in rows} == {feature["id"] for feature in body["features"]["features"]}
    assert listed.headers["Sightline-Cameras"] == str(body["cameras"])


def test_polygon_from_a_kml_file(client, testland):
    placemark = (
        "<Placemark><name>West half</name><styleUrl>#s</styleUrl><Polygon><outerBoundaryIs><LinearRing>"
        "<coordinates>-100,40,0 -99.5,40,0 -99.5,41,0 -100,41,0 -100,40,0</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark>"
    )
    response = client.post(
        "/api/v1/coverage/polygon",
        data={"file": (io.BytesIO(kml_document(placemark)), "area.kml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    # West of -99.5: C (-99.55) only; A stands on the edge at -99.5 (inside: boundaries count).
    ids = {feature["id"] for feature in response.get_json()["features"]["features"]}
    assert ids == {testland["A"].id, testland["C"].id}


def test_route_exposure_to_the_digit(client, testland):
    outside = make_camera(-99.5, ROUTE_LAT + 0.0009, directions=[90])  # 100 m north: outside 75 m
    line = {"type": "LineString", "coordinates": [list(point) for point in ROUTE]}
    body = post_json(client, "/api/v1/coverage/route", line).get_json()
    km = route_length_km()
    assert body["length_km"] == round(km, 3)
    assert (body["cameras"], body["facing"], body["not_facing"], body["direction_unknown"]) == (3, 2, 1, 0)
    assert body["reads_per_km"] == round(2 / km, 4)
    assert body["cameras_per_km"] == round(3 / km, 4)
    facing = {feature["id"]: feature["properties"]["facing"] for feature in body["features"]["features"]}
    assert facing == {testland["A"].id: True, testland["B"].id: True, testland["C"].id: False}
    assert outside.id not in facing
    # One way (the direction the route is drawn in, east): B faces west, so it no longer counts.
    one_way = post_json(client, "/api/v1/coverage/route?two_way=false", line).get_json()
    assert (one_way["facing"], one_way["not_facing"]) == (1, 2)
    wider = post_json(client, "/api/v1/coverage/route?buffer_m=150", line).get_json()
    assert wider["cameras"] == 4 and wider["facing"] == 3


def test_route_from_a_gpx_track(client, testland):
    (lon1, lat), (lon2, _lat) = ROUTE
    points = [(lon1 + (lon2 - lon1) * step / 100, lat) for step in range(101)]

    response = client.post(
        "/api/v1/coverage/route",
        data={"file": (io.BytesIO(gpx_track(points)), "commute.gpx"), "buffer_m": "75"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["cameras"], body["facing"]) == (3, 2)
    assert body["length_km"] == pytest.approx(route_length_km(), abs=0.002)


def test_camera_without_direction_is_counted_apart(client, testland):
    make_camera(-99.5, ROUTE_LAT + 0.0002, directions=[])
    line = {"type": "LineString", "coordinates": [list(point) for point in ROUTE]}
    body = post_json(client, "/api/v1/coverage/route", line).get_json()
    assert (body["cameras"], body["facing"], body["direction_unknown"]) == (4, 2, 1)
    assert body["reads_per_km_upper"] == round(3 / route_length_km(), 4)


def _rows() -> tuple:
    return tuple(
        db.session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608 (a test's own constants)
        for table in ("cameras", "areas", "moderation_events", "area_camera_counts", "feed_areas")
    )


BOWTIE = {"type": "Polygon", "coordinates": [[[-100, 40], [-99, 41], [-99, 40], [-100, 41], [-100, 40]]]}


@pytest.mark.parametrize(
    ("path", "body", "status", "words"),
    [
        (
            "polygon",
            b'{"type": "Polygon", "coordinates": [[[NaN, 40], [-99, 40], [-99, 41], [NaN, 40]]]}',
            400,
            "finite",
        ),
        ("polygon", json.dumps(BOWTIE).encode(), 400, "Self-intersection"),
        # Three distinct points on one line: a ring that folds back on itself.
        (
            "polygon",
            b'{"type": "Polygon", "coordinates": [[[-100, 40], [-99, 40.5], [-98, 41], [-100, 40]]]}',
            400,
            "not valid",
        ),
        (
            "polygon",
            b'{"type": "Polygon", "coordinates": [[[-100, 40], [-99, 40], [-99, 41]]]}',
            400,
            "at least 4 positions",
        ),
        (
            "polygon",
            b'{"type": "Polygon", "coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, 90], '
            b"[-180, -90]]]}",
            400,
            "too large",
        ),
        (
            "polygon",
            b'{"type": "Polygon", "coordinates": [[[-100, 40], [-96, 40], [-96, 44], [-100, 44], '
            b"[-100, 40]]]}",
            400,
            "100,000 km",
        ),
        (
            "polygon",
            b'{"type": "Polygon", "coordinates": [[[-100, 40], [-99, 40], [-99, 95], [-100, 40]]]}',
            400,
            "latitudes",
        ),
        ("polygon", b"{not json", 400, "JSON"),
        ("polygon", b"plain text", 415, "GeoJSON, KML or GPX"),
        ("polygon", b"", 400, "no route or area"),
        ("route", b'{"type": "LineString", "coordinates": [[-99.5, 40.5]]}', 400, "two different points"),
        (
            "route",
            b'{"type": "LineString", "coordinates": [[-99.5, 40.5], [-99.5, 40.5]]}',
            400,
            "two different points",
        ),
        ("route", b'{"type": "LineString", "coordinates": [[-99.5, 40.5], [-80, 35]]}', 400, "1000 km"),
        (
            "route?buffer_m=5",
            b'{"type": "LineString", "coordinates": [[-99.5, 40.5], [-99.4, 40.5]]}',
            400,
            "10 to 500",
        ),
        (
            "route?buffer_m=nan",
            b'{"type": "LineString", "coordinates": [[-99.5, 40.5], [-99.4, 40.5]]}',
            400,
            "10 to 500",
        ),
        (
            "route",
            b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&b;</name></trk></gpx>',
            400,
            "DTD",
        ),
        ("route", b"<html><body>hello</body></html>", 415, "KML or GPX"),
        ("route", b"PK\x03\x04zipped", 415, "KMZ"),
    ],
)
def test_bad_input_is_refused_and_leaves_nothing(app, committed_testland, path, body, status, words):
    client = app.test_client()  # not the `client` fixture: that one's commits are rolled back
    with app.app_context():
        before = _rows()
    response = client.post(f"/api/v1/coverage/{path}", data=body, content_type="application/json")
    assert response.status_code == status, response.get_data(as_text=True)
    answer = response.get_json()
    assert words in answer["message"], answer
    assert answer["error"]
    with app.app_context():
        assert _rows() == before


def test_too_many_vertices_and_points_say_the_limit(client, testland):
    ring = [[-100 + i * 1e-4, 40 + (i % 2) * 1e-4] for i in range(Limits.POLYGON_MAX_VERTICES)]
    ring.append(ring[0])
    response = post_json(client, "/api/v1/coverage/polygon", {"type": "Polygon", "coordinates": [ring]})
    assert response.status_code == 400 and f"{Limits.POLYGON_MAX_VERTICES}" in response.get_json()["message"]
    line = [[-99.5 + i * 1e-5, 40.5] for i in range(Limits.ROUTE_MAX_POINTS + 1)]
    response = post_json(client, "/api/v1/coverage/route", {"type": "LineString", "coordinates": line})
    assert response.status_code == 400 and f"{Limits.ROUTE_MAX_POINTS}" in response.get_json()["message"]


def test_a_50_mb_file_is_refused_from_its_length(client, testland):
    temporary = set(Path(tempfile.gettempdir()).iterdir())
    big = b"{" + b" " * (50 * 1024 * 1024) + b"}"
    response = client.post("/api/v1/coverage/route", data=big, content_type="application/json")
    assert response.status_code == 413
    assert "5 MB" in response.get_json()["message"]

    response = client.post(
        "/api/v1/coverage/route",
        data={"file": (io.BytesIO(big), "huge.gpx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "5 MB" in response.get_json()["message"]
    # Nothing was spooled to disk on the way.
    assert set(Path(tempfile.gettempdir()).iterdir()) <= temporary


def test_a_chunked_upload_without_length_stops_at_the_cap(live_server):
    """Through a real server: a body sent chunked (no Content-Length) is read only up to the cap."""
    host, port = live_server.removeprefix("http://").split(":")
    connection = HTTPConnection(host, int(port), timeout=30)
    sent = {"bytes": 0}
    chunk = b" " * (1024 * 1024)

    def body():
        yield b"{"
        for _ in range(50):
            sent["bytes"] += len(chunk)
            yield chunk

    def send():
        # The server may answer and close before the client has sent everything.
        with contextlib.suppress(OSError):
            connection.request(
                "POST",
                "/api/v1/coverage/route",
                body=body(),
                headers={"Content-Type": "application/json"},
                encode_chunked=True,
            )

    sender = threading.Thread(target=send)
    sender.start()
    sender.join(timeout=60)
    response = connection.getresponse()
    assert response.status == 413
    assert "5 MB" in json.loads(response.read())["message"]


def test_a_route_sent_for_analysis_is_not_kept(app, committed_testland, caplog):
    """docs/privacy.md: a route is answered and forgotten (no row, no file, no log line holds it)."""
    client = app.test_client()  # not the `client` fixture: that one's commits are rolled back
    temporary = set(Path(tempfile.gettempdir()).iterdir())
    with app.app_context():
        before = _rows()
    points = [(-99.512345 + step * 0.001, 40.512345) for step in range(50)]
    response = client.post(
        "/api/v1/coverage/route",
        data={"file": (io.BytesIO(gpx_track(points)), "home-to-clinic.gpx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        assert _rows() == before
        dumped = db.session.execute(
            text("SELECT string_agg(t::text, ' ') FROM moderation_events AS t")
        ).scalar()
        assert "99.5123" not in (dumped or "")
    assert set(Path(tempfile.gettempdir()).iterdir()) <= temporary
    assert "99.5123" not in caplog.text and "home-to-clinic" not in caplog.text
