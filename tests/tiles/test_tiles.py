"""GET /tiles/{z}/{x}/{y}.pbf: density cells at low zoom, verified cameras with directions at high zoom,
HTTP caching, and a clear 400 for any address that is not a tile."""

import mapbox_vector_tile
import pytest

from tests.factories import make_camera, make_sighting
from tests.support.maps import tile_of
from webapp.tiles.tiles import MAX_ZOOM

CHICAGO = (-87.6298, 41.8781)


def get_tile(client, zoom: int, lon: float = CHICAGO[0], lat: float = CHICAGO[1]):
    x, y = tile_of(lon, lat, zoom)
    response = client.get(f"/tiles/{zoom}/{x}/{y}.pbf")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.data)


def test_low_zoom_tiles_carry_counts_of_verified_cameras_only(client, app_context):
    for offset in range(3):
        make_camera(CHICAGO[0] + offset * 0.001, CHICAGO[1])
    make_camera(CHICAGO[0] + 0.002, CHICAGO[1] + 0.001, status="hidden")
    make_camera(CHICAGO[0] - 0.002, CHICAGO[1], status="removed")
    for zoom in (0, 4, 9, 13):
        layers = get_tile(client, zoom)
        assert set(layers) == {"density"}
        features = layers["density"]["features"]
        assert sum(feature["properties"]["count"] for feature in features) == 3
        assert all(set(feature["properties"]) == {"count"} for feature in features)


def test_high_zoom_tiles_carry_cameras_with_vendor_and_direction_cones(client, app_context):
    camera = make_camera(*CHICAGO, vendor="motorola-vigilant", directions=[90, 270])
    make_camera(CHICAGO[0] + 0.0002, CHICAGO[1], status="hidden")
    make_sighting(CHICAGO[0] + 0.0001, CHICAGO[1], notes="a private note")
    layers = get_tile(client, 16)
    assert set(layers) == {"cameras", "directions"}
    [feature] = layers["cameras"]["features"]
    assert feature["geometry"]["type"] == "Point"
    # Only public fields: nothing about sightings or who reported them.
    assert feature["properties"] == {"id": camera.id, "vendor": "motorola-vigilant", "directions": "90,270"}
    cones = layers["directions"]["features"]
    assert len(cones) == 2
    assert {cone["properties"]["id"] for cone in cones} == {camera.id}
    assert all(cone["geometry"]["type"] == "Polygon" for cone in cones)
    centre_x = feature["geometry"]["coordinates"][0]
    # 90 degrees points east (right of the camera), 270 west.
    extents = sorted(
        max(point[0] for point in cone["geometry"]["coordinates"][0]) - centre_x for cone in cones
    )
    assert extents[0] <= 0 < extents[1]


def test_an_empty_tile_is_an_empty_200(client, app_context):
    response = client.get("/tiles/15/0/0.pbf")
    assert response.status_code == 200
    assert response.data == b""
    assert client.get("/tiles/3/0/0.pbf").data == b""


def test_tiles_have_etag_and_cache_control_and_answer_304(client, app_context):
    make_camera(*CHICAGO)
    x, y = tile_of(*CHICAGO, 5)
    first = client.get(f"/tiles/5/{x}/{y}.pbf")
    assert first.headers["ETag"]
    assert "public" in first.headers["Cache-Control"] and "max-age=" in first.headers["Cache-Control"]
    again = client.get(f"/tiles/5/{x}/{y}.pbf", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    # A change to the tile's content changes its ETag: the old one no longer matches.
    make_camera(CHICAGO[0] + 0.01, CHICAGO[1])
    changed = client.get(f"/tiles/5/{x}/{y}.pbf", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        "/tiles/a/0/0.pbf",
        "/tiles/1/b/0.pbf",
        "/tiles/1/0/c.pbf",
        "/tiles/-1/0/0.pbf",
        "/tiles/1/-1/0.pbf",
        "/tiles/1.5/0/0.pbf",
        "/tiles/%201/0/0.pbf",
        "/tiles/%D9%A3/0/0.pbf",  # an Arabic-Indic digit: str.isdigit() says yes, int() would accept it
        f"/tiles/{MAX_ZOOM + 1}/0/0.pbf",
        "/tiles/99999999999999999999/0/0.pbf",
        "/tiles/2/4/0.pbf",
        "/tiles/2/0/4.pbf",
        "/tiles/0/1/0.pbf",
    ],
)
def test_addresses_that_are_not_tiles_answer_400_with_a_json_message(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"
    assert "tile" in response.json["message"].lower()


def test_the_map_benchmark_asks_for_the_tiles_leaflet_loads_at_the_national_view():
    """bench.map measures the first view with these tiles; Chromium loads the same 6 x 4 at 1280 x 752."""
    from bench.map import tiles_in_view

    tiles = tiles_in_view(-98.35, 39.5, 4, 1280, 752)
    assert sorted(tiles) == [(4, x, y) for x in range(1, 7) for y in range(4, 8)]
