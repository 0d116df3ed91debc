"""The database itself refuses what must never be stored."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, ProgrammingError

from tests.factories import make_camera, make_sighting, make_user
from webapp.kernel.extensions import db


def _rejects(make, *args, **fields):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        make(*args, **fields)


@pytest.mark.parametrize(
    ("lon", "lat"), [(-181, 40), (181, 40), (-87, 91), (-87, -90.5)], ids=["west", "east", "north", "south"]
)
def test_coordinates_out_of_range(app_context, lon, lat):
    _rejects(make_camera, lon, lat)
    _rejects(make_sighting, lon, lat)


@pytest.mark.parametrize("directions", [[360], [-1], [90, 400], [None]])
def test_direction_outside_0_359(app_context, directions):
    _rejects(make_camera, directions=directions)
    _rejects(make_sighting, directions=directions)


def test_directions_inside_range_are_kept(app_context):
    camera = make_camera(directions=[0, 359, 90])
    db.session.refresh(camera)
    assert camera.directions == [0, 359, 90]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "published"},
        {"source": "twitter"},
        {"mount": "tree"},
        {"vendor": "Flock Safety"},
        {"confirmations": -1},
        {"osm_type": "node"},
        {"osm_type": "area", "osm_id": 1},
    ],
    ids=lambda fields: ",".join(fields),
)
def test_camera_values_outside_the_vocabulary(app_context, fields):
    _rejects(make_camera, **fields)


@pytest.mark.parametrize(
    "fields",
    [{"status": "published"}, {"status": "rejected"}, {"mount": "tree"}, {"notes": "x" * 2001}],
    ids=["unknown-status", "rejected-without-reason", "unknown-mount", "notes-too-long"],
)
def test_sighting_values_outside_the_vocabulary(app_context, fields):
    _rejects(make_sighting, **fields)


def test_osm_key_is_unique(app_context):
    make_camera(source="osm", osm_type="node", osm_id=42)
    _rejects(make_camera, source="osm", osm_type="node", osm_id=42)


def test_unknown_role_and_duplicate_login(app_context):
    user = make_user("alice", "moderator")
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(text("UPDATE users SET role = 'superuser' WHERE id = :id"), {"id": user.id})
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            text("INSERT INTO users (login, password_hash) VALUES ('ALICE', 'x')"),
        )


def test_moderation_log_is_append_only(app_context):
    user = make_user(role="moderator")
    db.session.execute(
        text(
            "INSERT INTO moderation_events (actor_id, action, target_type, target_id) "
            "VALUES (:actor, 'verify', 'sighting', 1)"
        ),
        {"actor": user.id},
    )
    with pytest.raises(ProgrammingError, match="append-only"), db.session.begin_nested():
        db.session.execute(text("UPDATE moderation_events SET action = 'reject'"))
    with pytest.raises(ProgrammingError, match="append-only"), db.session.begin_nested():
        db.session.execute(text("DELETE FROM moderation_events"))
