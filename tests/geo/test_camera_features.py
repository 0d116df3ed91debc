"""A camera as GeoJSON is written by one function (webapp.geo.geojson.camera_feature); the features PostgreSQL
builds for a drawn area (webapp.geo.public_cameras.citable_features_in_shape) are the same, to
Limits.COORDINATE_DIGITS decimals (6)."""

import json

from sqlalchemy import text

from tests.factories import make_camera
from webapp.geo.geojson import SUMMARY_FIELDS, camera_feature
from webapp.geo.public_cameras import citable_features_in_shape
from webapp.kernel.extensions import db

SQUARE = json.dumps(
    {
        "type": "Polygon",
        "coordinates": [[[-88.0, 41.0], [-87.0, 41.0], [-87.0, 42.0], [-88.0, 42.0], [-88.0, 41.0]]],
    }
)


def test_camera_feature_rounds_the_point_and_lists_the_directions():
    row = {"id": 7, "lon": -87.123456789, "lat": 41.987654321, "vendor": "flock-safety", "operator": None}
    row |= {"directions": None, "source": "osm"}
    feature = camera_feature(row, SUMMARY_FIELDS, distance_m=3.5)
    assert feature == {
        "type": "Feature",
        "id": 7,
        "geometry": {"type": "Point", "coordinates": [-87.123457, 41.987654]},
        "properties": {
            "vendor": "flock-safety",
            "operator": None,
            "directions": [],
            "source": "osm",
            "distance_m": 3.5,
        },
    }


def test_the_features_postgresql_builds_equal_camera_feature(app_context):
    cameras = [
        make_camera(-87.6298, 41.8781, operator="Chicago Police Department", directions=[90, 270]),
        make_camera(-87.5012346, 41.7512344, vendor="motorola", source="osm", directions=[]),
    ]
    make_camera(-86.5, 41.5)  # outside the square
    built = json.loads(citable_features_in_shape(SQUARE, limit=10))
    rows = db.session.execute(
        text(
            "SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat, vendor, operator, directions, source "
            "FROM cameras WHERE id = ANY(:ids) ORDER BY id"
        ),
        {"ids": [camera.id for camera in cameras]},
    ).mappings()
    assert built == [camera_feature(row) for row in rows]
    assert built[1]["geometry"]["coordinates"] == [-87.501235, 41.751234]
