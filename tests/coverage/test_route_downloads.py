"""Issue 22 item 4: a route's cameras download in every format. The route answer keeps nothing
(docs/privacy.md); asked to, /api/v1/coverage/route/corridor keeps the route's corridor as a drawn area and
answers its downloads, which hold exactly the cameras the route answer counts, at its edges and bends too."""

import csv
import io
import math

import pytest

from tests.coverage.test_coverage_shapes import gpx_track
from tests.factories import make_camera
from tests.support.coverage_fixtures import ROUTE_LAT, load_testland, place_cameras

METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180
# An L-shaped commute: east along ROUTE_LAT past A, B and C, then north.
CORNER = (-99.4, ROUTE_LAT)
TRACK = [(-99.6 + 0.2 * step / 40, ROUTE_LAT) for step in range(41)] + [
    (-99.4, ROUTE_LAT + 0.0005 * step) for step in range(1, 41)
]


def _offset(point: tuple[float, float], east_m: float, north_m: float) -> tuple[float, float]:
    lon, lat = point
    return lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))), lat + north_m / METRES_PER_DEGREE


@pytest.fixture
def cameras(app_context, tmp_path):
    load_testland(tmp_path)
    placed = place_cameras()
    # Just inside and just outside 75 m: beside the line, past its west end, round the corner's outside.
    diagonal = 1 / math.sqrt(2)
    for key, (point, east, north) in {
        "side_in": ((-99.55, ROUTE_LAT), 0, 73),
        "side_out": ((-99.52, ROUTE_LAT), 0, 77),
        "end_in": ((-99.6, ROUTE_LAT), -73, 0),
        "end_out": ((-99.6, ROUTE_LAT), -77, 5),
        "corner_in": (CORNER, 73 * diagonal, -73 * diagonal),
        "corner_out": (CORNER, 77 * diagonal, -77 * diagonal),
    }.items():
        placed[key] = make_camera(*_offset(point, east, north), directions=[0])
    return placed


def _send(client, path: str):
    return client.post(
        path,
        data={"file": (io.BytesIO(gpx_track(TRACK)), "commute.gpx"), "buffer_m": "75"},
        content_type="multipart/form-data",
    )


def test_a_routes_corridor_downloads_exactly_the_cameras_it_counts(client, cameras):
    answer = _send(client, "/api/v1/coverage/route")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    route = answer.get_json()
    counted = {feature["id"] for feature in route["features"]["features"]}
    inside = {"A", "B", "C", "side_in", "end_in", "corner_in"}
    assert counted == {cameras[key].id for key in inside} and route["cameras"] == len(inside)
    assert "downloads" not in route  # the route itself is not kept

    kept = _send(client, route["keep_corridor"].replace("http://localhost", ""))
    assert kept.status_code == 201, kept.get_data(as_text=True)
    corridor = kept.get_json()
    assert set(corridor["downloads"]) == {"csv", "geojson", "kml", "parquet", "fgb"}
    listed = client.get(corridor["downloads"]["csv"])
    assert listed.status_code == 200 and listed.headers["Sightline-Cameras"] == str(route["cameras"])
    rows = csv.DictReader(io.StringIO(listed.get_data(as_text=True)))
    assert {int(row["id"]) for row in rows} == counted
    geojson = client.get(corridor["downloads"]["geojson"]).get_json()
    assert {feature["id"] for feature in geojson["features"]} == counted
    # The same route, the same corridor; its feed answers.
    assert _send(client, route["keep_corridor"]).get_json()["area"] == corridor["area"]
    assert client.get(corridor["feed"].replace("http://localhost", "")).status_code == 200


def test_a_corridor_is_bounded_as_a_route_is(client, cameras):
    far = [(-99.6 + step * 0.5, ROUTE_LAT) for step in range(40)]  # about 1,700 km
    answer = client.post(
        "/api/v1/coverage/route/corridor",
        data={"file": (io.BytesIO(gpx_track(far)), "long.gpx")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400 and "1000 km" in answer.get_json()["message"]
    bad_buffer = client.post(
        "/api/v1/coverage/route/corridor?buffer_m=5000",
        data=gpx_track(TRACK),
        content_type="application/gpx+xml",
    )
    assert bad_buffer.status_code == 400 and "buffer_m" in bad_buffer.get_json()["message"]
