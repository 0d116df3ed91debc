"""cameras_near(): verified cameras within a radius, nearest first, through the spatial index."""

import math

from sqlalchemy import text

from tests.factories import make_camera
from webapp.geo.nearby import _degree_margins, cameras_near, nearby_query
from webapp.kernel.extensions import db

# Metres per degree of longitude at 41.88 N, near enough for placing test cameras.
LON_METRE = 1 / 82_900
LAT_METRE = 1 / 111_000
HERE = (-87.6298, 41.8781)


def at(east_m: float, north_m: float = 0.0) -> dict:
    return {"lon": HERE[0] + east_m * LON_METRE, "lat": HERE[1] + north_m * LAT_METRE}


def test_only_verified_cameras_within_the_radius_nearest_first(app_context):
    far = make_camera(**at(40))
    near = make_camera(**at(0, -10), vendor="genetec", directions=[0, 180])
    make_camera(**at(70))  # outside 50 m
    make_camera(**at(5), status="hidden")
    make_camera(**at(6), status="removed")

    found = cameras_near(*HERE, radius_m=50)

    assert [camera.id for camera in found] == [near.id, far.id]
    assert 9 < found[0].distance_m < 11
    assert 38 < found[1].distance_m < 42
    assert found[0].vendor == "genetec"
    assert found[0].directions == [0, 180]
    assert abs(found[0].lat - at(0, -10)["lat"]) < 1e-9


def test_limit_keeps_the_nearest(app_context):
    cameras = [make_camera(**at(metres)) for metres in (30, 10, 20)]
    found = cameras_near(*HERE, radius_m=50, limit=2)
    assert [camera.id for camera in found] == [cameras[1].id, cameras[2].id]


def test_nothing_near_an_empty_place(app_context):
    make_camera(lon=2.35, lat=48.85)
    assert cameras_near(*HERE, radius_m=50) == []


def test_degree_box_contains_the_circle_everywhere():
    for lat in (0, 45, -60, 85, 89.9999, -90):
        dx, dy = _degree_margins(lat, 50)
        assert dy >= 50 / 110_574
        if abs(lat) < 89:
            # 50 m east along the parallel is within the box.
            metres_per_degree_lon = 111_320 * math.cos(math.radians(lat))
            assert dx >= 50 / metres_per_degree_lon


def test_the_query_uses_the_spatial_index(app_context):
    for index in range(200):
        make_camera(lon=-87.0 + index * 0.01, lat=41.0)
    db.session.execute(text("ANALYZE cameras"))
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    compiled = nearby_query(-87.5, 41.0, 50, 20).compile(dialect=db.engine.dialect)
    connection = db.session.connection()
    plan = "\n".join(
        row[0] for row in connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
    )
    assert "idx_cameras_geom" in plan
