"""The migrations build the schema the models describe, and come down cleanly."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from geoalchemy2 import alembic_helpers
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from tests.support.database import create_scratch_database, drop_database
from webapp import create_app
from webapp.kernel.extensions import db

TABLES = {"cameras", "sightings", "photos", "users", "moderation_events", "flags", "density_cells"}
# Migration 0006: areas and their camera counts.
TABLES |= {"areas", "area_parts", "area_camera_counts", "area_counts_version"}


def test_upgrade_from_empty_then_downgrade_to_base_then_upgrade_again():
    url = create_scratch_database("sightline_migrations")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            upgrade()
            assert set(inspect(db.engine).get_table_names()) >= TABLES
            downgrade(revision="base")
            assert not TABLES & set(inspect(db.engine).get_table_names())
            upgrade()
            assert set(inspect(db.engine).get_table_names()) >= TABLES
            db.engine.dispose()
    finally:
        drop_database(url)


def test_models_and_migrations_agree(app_context):
    """Autogenerate, configured as migrations/env.py configures it, finds nothing left to migrate."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": alembic_helpers.include_object,
            },
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_geometry_column_has_a_gist_index(app_context):
    rows = db.session.execute(
        text(
            """
            SELECT c.table_name, c.column_name,
                   EXISTS (
                       SELECT 1 FROM pg_index i
                       JOIN pg_class t ON t.oid = i.indrelid
                       JOIN pg_class ix ON ix.oid = i.indexrelid
                       JOIN pg_am am ON am.oid = ix.relam
                       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
                       WHERE t.relname = c.table_name AND a.attname = c.column_name AND am.amname = 'gist'
                   ) AS indexed
            FROM information_schema.columns c
            WHERE c.table_schema = 'public' AND c.udt_name = 'geometry'
            """
        )
    ).all()
    # density_cells has no geometry since 0002: a cell's position follows from its (z, x, y) key.
    assert {row.table_name for row in rows} >= {"cameras", "sightings"}
    assert all(row.indexed for row in rows), [row for row in rows if not row.indexed]


def _parent_of(revision: str) -> str:
    """The revision before `revision` (the integrator may re-link the chain: never hard-code it)."""
    from alembic.script import ScriptDirectory
    from flask import current_app

    return (
        ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
        .get_revision(revision)
        .down_revision
    )


REPORTED_AT = "2026-03-14 23:37:42+00"  # late in the UTC day: a conversion in another zone would shift it
FLAGGED_AT = "2026-04-02 08:15:09+00"
CLOSED_AT = "2026-04-03 10:00:00+00"


def _rows_before_0004(connection) -> dict:
    """A camera, a pending and an accepted sighting with a photo each, two flags (one that hid the photos,
    one a moderator dismissed), with the events the app wrote before 0004."""
    run = lambda sql, **values: connection.execute(text(sql), values)  # noqa: E731
    moderator = run(
        "INSERT INTO users (login, password_hash, role) VALUES ('mod', 'x', 'moderator') RETURNING id"
    )
    moderator = moderator.scalar_one()
    camera = run(
        "INSERT INTO cameras (geom, source) VALUES (ST_SetSRID(ST_MakePoint(-87.6, 41.8), 4326), 'report') "
        "RETURNING id"
    ).scalar_one()
    sightings = []
    for status, receipt in (("pending", "a" * 64), ("accepted", "b" * 64)):
        sightings.append(
            run(
                "INSERT INTO sightings (geom, status, receipt_hash, created_at, camera_id) VALUES "
                "(ST_SetSRID(ST_MakePoint(-87.6, 41.8), 4326), :status, :receipt, :at, :camera) RETURNING id",
                status=status,
                receipt=receipt,
                at=REPORTED_AT,
                camera=camera if status == "accepted" else None,
            ).scalar_one()
        )
    for sighting, digit in zip(sightings, "cd", strict=True):
        run(
            "INSERT INTO photos (sighting_id, content_hash, width, height, display_key, thumb_key, public, "
            "created_at) VALUES (:sighting, :hash, 4, 3, :key, :key, :public, :at)",
            sighting=sighting,
            hash=digit * 64,
            key=f"{digit}{digit}/{digit}{digit}/{digit * 64}.jpg",
            public=sighting == sightings[1],
            at=REPORTED_AT,
        )
    hiding = run(
        "INSERT INTO flags (camera_id, reason, created_at) VALUES (:camera, 'personal_information', :at) "
        "RETURNING id",
        camera=camera,
        at=FLAGGED_AT,
    ).scalar_one()
    dismissed = run(
        "INSERT INTO flags (camera_id, reason, status, created_at, resolved_at) VALUES "
        "(:camera, 'spam', 'dismissed', :at, :closed) RETURNING id",
        camera=camera,
        at=FLAGGED_AT,
        closed=CLOSED_AT,
    ).scalar_one()
    for actor, at, action, target_type, target, reason in (
        (None, FLAGGED_AT, "flag", "flag", hiding, "personal_information"),
        (None, FLAGGED_AT, "hide_photos", "camera", camera, f"flag {hiding}: personal information"),
        (None, FLAGGED_AT, "flag", "flag", dismissed, "spam"),
        (moderator, CLOSED_AT, "dismiss", "flag", dismissed, None),
        (moderator, CLOSED_AT, "verify", "sighting", sightings[1], None),
    ):
        run(
            "INSERT INTO moderation_events (actor_id, created_at, action, target_type, target_id, reason) "
            "VALUES (:actor, :at, :action, :target_type, :target, :reason)",
            actor=actor,
            at=at,
            action=action,
            target_type=target_type,
            target=target,
            reason=reason,
        )
    return {"sightings": sightings, "hiding": hiding, "dismissed": dismissed, "moderator": moderator}


def test_0004_turns_report_times_into_days_on_a_database_with_rows_and_comes_back_down(tmp_path):
    from datetime import date, datetime

    url = create_scratch_database("sightline_migration_0004")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "UPLOAD_DIR": tmp_path / "up"})
        with app.app_context():
            upgrade(revision=_parent_of("0004"))
            with db.engine.begin() as connection:
                rows = _rows_before_0004(connection)
            upgrade(revision="0004")
            with db.engine.begin() as connection:
                days = connection.execute(text("SELECT reported_on FROM sightings")).scalars().all()
                assert days == [date(2026, 3, 14)] * 2
                flags = connection.execute(
                    text("SELECT id, flagged_on, hid_photos FROM flags ORDER BY id")
                ).all()
                assert [tuple(flag) for flag in flags] == [
                    (rows["hiding"], date(2026, 4, 2), True),
                    (rows["dismissed"], date(2026, 4, 2), False),
                ]
                events = connection.execute(
                    text("SELECT action, actor_id FROM moderation_events ORDER BY id")
                ).all()
                # The public actions' events are gone; the moderator's stay, with their times.
                assert [tuple(event) for event in events] == [
                    ("dismiss", rows["moderator"]),
                    ("verify", rows["moderator"]),
                ]
                for table in ("sightings", "photos", "flags"):
                    kinds = connection.execute(
                        text("SELECT udt_name FROM information_schema.columns WHERE table_name = :t"),
                        {"t": table},
                    ).scalars()
                    assert not {"timestamptz", "timestamp"} & set(kinds), table
                # A pending photo, as the app now keeps it, so the downgrade has one to write back as files.
                pending_photo = connection.execute(
                    text("SELECT id, display_key FROM photos WHERE NOT public")
                ).one()
                connection.execute(
                    text("INSERT INTO pending_photos (photo_id, display, thumb) VALUES (:id, 'D', 'T')"),
                    {"id": pending_photo.id},
                )
                # The append-only trigger is back on.
                with pytest.raises(DBAPIError, match="append-only"), connection.begin_nested():
                    connection.execute(text("DELETE FROM moderation_events"))

            downgrade(revision=_parent_of("0004"))
            with db.engine.begin() as connection:
                created = connection.execute(text("SELECT created_at FROM sightings")).scalars().all()
                # The time of day is gone for good: midnight UTC of the day.
                assert all(value == datetime.fromisoformat("2026-03-14T00:00:00+00:00") for value in created)
                assert (
                    connection.execute(text("SELECT count(*) FROM photos WHERE created_at IS NULL")).scalar()
                    == 0
                )
                flags = connection.execute(
                    text("SELECT id, created_at, resolved_at FROM flags ORDER BY id")
                ).all()
                assert flags[0].created_at == datetime.fromisoformat("2026-04-02T00:00:00+00:00")
                assert flags[0].resolved_at is None
                assert flags[1].resolved_at == datetime.fromisoformat("2026-04-03T10:00:00+00:00")
                public = connection.execute(
                    text("SELECT action, target_id FROM moderation_events WHERE actor_id IS NULL ORDER BY id")
                ).all()
                assert sorted(tuple(event) for event in public) == sorted(
                    [
                        ("flag", rows["hiding"]),
                        ("flag", rows["dismissed"]),
                        ("hide_photos", public[-1].target_id),
                    ]
                )
            assert (tmp_path / "up" / pending_photo.display_key).read_bytes() == b"D"
            upgrade()
            db.engine.dispose()
    finally:
        drop_database(url)


def test_0007_gives_osm_cameras_their_osm_values_and_comes_back_down():
    url = create_scratch_database("sightline_migration_0007")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            upgrade(revision=_parent_of("0007"))
            with db.engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO cameras (geom, source, osm_type, osm_id, vendor, directions, operator) "
                        "VALUES (ST_SetSRID(ST_MakePoint(-87.6, 41.8), 4326), 'osm', 'node', 42, "
                        "'flock-safety', "
                        "'{90,270}', 'CPD'), (ST_SetSRID(ST_MakePoint(-87.7, 41.9), 4326), 'report', NULL, "
                        "NULL, 'genetec', '{}', NULL)"
                    )
                )
            upgrade(revision="0007")
            with db.engine.begin() as connection:
                [element] = connection.execute(
                    text("SELECT e.*, c.osm_id FROM osm_elements e JOIN cameras c ON c.id = e.camera_id")
                ).all()
                assert (element.osm_id, element.lon, element.lat, element.vendor, element.directions) == (
                    42,
                    -87.6,
                    41.8,
                    "flock-safety",
                    [90, 270],
                )
                assert (element.operator, element.differs, element.gone_on, element.osm_version) == (
                    "CPD",
                    [],
                    None,
                    None,
                )
                assert connection.execute(
                    text("SELECT DISTINCT moderated_fields FROM cameras")
                ).scalars().all() == [[]]
                with (
                    pytest.raises(DBAPIError, match="camera_moderated_fields_known"),
                    connection.begin_nested(),
                ):
                    connection.execute(text("UPDATE cameras SET moderated_fields = '{colour}'"))
            downgrade(revision=_parent_of("0007"))
            tables = set(inspect(db.engine).get_table_names())
            assert not {"osm_elements", "osm_link_proposals", "osm_import_runs"} & tables
            columns = {column["name"] for column in inspect(db.engine).get_columns("cameras")}
            assert not {"moderated_fields", "removed_month"} & columns
            with db.engine.begin() as connection:
                assert connection.execute(text("SELECT count(*) FROM cameras")).scalar() == 2
            upgrade()
            db.engine.dispose()
    finally:
        drop_database(url)
