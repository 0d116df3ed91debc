"""The migrations build the schema the models describe, and come down cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from geoalchemy2 import alembic_helpers
from sqlalchemy import inspect, text

from tests.conftest import create_scratch_database, drop_database
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
