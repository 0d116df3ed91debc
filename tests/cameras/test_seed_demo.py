"""`flask cameras seed-demo`: deterministic synthetic cameras around US metro areas with a realistic vendor
mix, written only into an empty database when asked with --if-empty; `flask cameras seed-demo-reports`: the
pending demo reports of a fresh install, never counted once verified."""

import math
from collections import Counter

import pytest
from sqlalchemy import func, select, text

from tests.factories import make_camera, make_user
from tests.support.rows import camera_count
from webapp.camera_fields.vendors import BY_SLUG
from webapp.cameras.demo_seed import METROS, generate_demo_cameras
from webapp.geo.public_cameras import cameras, citable
from webapp.kernel.data.models import Sighting
from webapp.kernel.errors import NotAllowed
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import MOUNTS
from webapp.moderation.sightings import merge_into_camera, verify_sighting
from webapp.opendata.export_files import write_exports


def km_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    north = (lat2 - lat1) * 111.32
    east = (lon2 - lon1) * 111.32 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(north, east)


def test_same_seed_same_cameras_other_seed_other_cameras():
    assert generate_demo_cameras(500, seed=7) == generate_demo_cameras(500, seed=7)
    assert generate_demo_cameras(500, seed=7) != generate_demo_cameras(500, seed=8)


def test_cameras_cluster_around_metros_with_a_realistic_vendor_mix():
    cameras = generate_demo_cameras(3000, seed=1)

    assert len(cameras) == 3000
    nearest_metro_km = [
        min(km_between(camera.lon, camera.lat, metro.lon, metro.lat) for metro in METROS)
        for camera in cameras
    ]
    # Every camera is within its metro's reach (1.5 radii at most, plus a little off its corridor), most of
    # them much closer.
    assert max(nearest_metro_km) <= 1.5 * max(metro.radius_km for metro in METROS) + 2
    assert sorted(nearest_metro_km)[len(cameras) // 2] < 20
    # Spread over many metros, the biggest ones holding the most.
    by_metro = Counter(
        min(
            METROS, key=lambda metro, camera=camera: km_between(camera.lon, camera.lat, metro.lon, metro.lat)
        ).city
        for camera in cameras
    )
    assert len(by_metro) >= 40
    assert by_metro["New York"] > by_metro["Boise"]
    vendors = Counter(camera.vendor for camera in cameras)
    assert set(vendors) <= set(BY_SLUG)
    assert 0.75 < vendors["flock-safety"] / len(cameras) < 0.87
    assert len(vendors) >= 8
    assert {camera.mount for camera in cameras} <= {*MOUNTS, None}
    assert all(0 <= bearing <= 359 for camera in cameras for bearing in camera.directions)
    assert all(camera.first_reported_month <= camera.last_confirmed_month for camera in cameras)
    assert all("(demo data)" in camera.operator for camera in cameras if camera.operator)


def bearing_from(metro, lon: float, lat: float) -> float:
    north = (lat - metro.lat) * 111.32
    east = (lon - metro.lon) * 111.32 * math.cos(math.radians(metro.lat))
    return math.degrees(math.atan2(east, north)) % 360


@pytest.mark.parametrize("city", ["Chicago", "Miami", "Boston", "Cleveland", "San Diego"])
def test_water_sides_of_coastal_metros_stay_empty(city):
    """Chicago's cameras stay out of the lake, Miami's and Boston's out of the Atlantic."""
    metro = next(metro for metro in METROS if metro.city == city)
    cameras = generate_demo_cameras(6000, seed=3)
    # Further than 3 km from the centre, a camera 0.4 km off its corridor cannot cross into another sector.
    around = [c for c in cameras if 3 < km_between(c.lon, c.lat, metro.lon, metro.lat) < metro.radius_km * 2]
    assert len(around) > 20
    land_sweep = (metro.land_to - metro.land_from) % 360
    for camera in around:
        bearing = bearing_from(metro, camera.lon, camera.lat)
        assert (bearing - metro.land_from) % 360 <= land_sweep + 10, (camera, bearing)


def test_seed_demo_command_writes_the_cameras(runner, app_context):
    result = runner.invoke(args=["cameras", "seed-demo", "--count", "250", "--seed", "5"])

    assert result.exit_code == 0, result.output
    assert "250 demo cameras added" in result.output
    assert camera_count() == 250
    expected = generate_demo_cameras(250, seed=5)
    stored = db.session.execute(
        text("SELECT ST_X(geom), ST_Y(geom), vendor, directions, status, source FROM cameras ORDER BY id")
    ).all()
    assert [(round(x, 6), round(y, 6), vendor) for x, y, vendor, *_ in stored] == [
        (camera.lon, camera.lat, camera.vendor) for camera in expected
    ]
    assert [list(row.directions) for row in stored] == [list(camera.directions) for camera in expected]
    assert {(row.status, row.source) for row in stored} == {("verified", "report")}


def test_if_empty_seeds_an_empty_database_only(runner, app_context):
    first = runner.invoke(args=["cameras", "seed-demo", "--count", "40", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert camera_count() == 40

    second = runner.invoke(args=["cameras", "seed-demo", "--count", "40", "--if-empty"])

    assert second.exit_code == 0, second.output
    assert "already holds cameras" in second.output
    assert camera_count() == 40


def test_if_empty_leaves_real_cameras_alone(runner, app_context):
    make_camera()
    result = runner.invoke(args=["cameras", "seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert camera_count() == 1


@pytest.mark.parametrize("count", ["-1", "many"])
def test_bad_count_is_a_usage_error(runner, count):
    result = runner.invoke(args=["cameras", "seed-demo", "--count", count])
    assert result.exit_code == 2


def test_demo_cameras_are_marked_and_left_out_of_the_exports(runner, client, app_context):
    real = make_camera(operator="Chicago PD")
    assert runner.invoke(args=["cameras", "seed-demo", "--count", "30", "--seed", "2"]).exit_code == 0
    assert db.session.execute(text("SELECT count(*) FROM cameras WHERE demo")).scalar_one() == 30
    assert (
        db.session.execute(text("SELECT demo FROM cameras WHERE id = :id"), {"id": real.id}).scalar_one()
        is False
    )
    write_exports()
    exported = client.get("/api/v1/cameras.geojson").get_json()
    assert [feature["id"] for feature in exported["features"]] == [real.id]


def test_demo_reports_wait_in_the_queue_and_a_verified_one_is_never_counted(runner, app_context):
    real = make_camera()
    first = runner.invoke(args=["cameras", "seed-demo-reports", "--if-empty"])
    again = runner.invoke(args=["cameras", "seed-demo-reports", "--if-empty"])

    assert first.exit_code == 0, first.output
    assert "5 pending demo reports" in first.output
    assert "nothing seeded" in again.output
    reports = db.session.scalars(select(Sighting).order_by(Sighting.id)).all()
    assert len(reports) == 5
    assert all(report.demo and report.status == "pending" for report in reports)
    assert all("(demo data)" in report.operator for report in reports)
    moderator = make_user(role="moderator")
    camera = verify_sighting(reports[1].id, moderator)
    assert camera.demo
    assert (
        db.session.scalar(select(func.count()).select_from(cameras).where(citable())) == 1
    )  # the real camera only
    with pytest.raises(NotAllowed, match="demo report"):
        merge_into_camera(reports[2].id, real.id, moderator)
