"""Scratch databases on the test PostGIS server (the project's own, started by scripts/pg, or the one
TEST_DATABASE_URL / DATABASE_URL points at), and the settings every test app starts from."""

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from webapp.kernel.config import LOCAL_DATABASE_URL

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _server_url() -> str:
    """A URL of the PostGIS server the tests may create databases on."""
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return url
    subprocess.run([PROJECT_ROOT / "scripts" / "pg", "start"], check=True, stdout=subprocess.DEVNULL)
    return LOCAL_DATABASE_URL.format(port=os.environ.get("SIGHTLINE_PG_PORT", "54329"))


def create_scratch_database(prefix: str = "sightline_test") -> str:
    """Create an empty database on the test server and return its URL (drop it with drop_database)."""
    server = make_url(_server_url())
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def test_config(database_url: str, tmp_path: Path, **overrides) -> dict:
    """The settings of a test app: no basemap (zero external requests), no CSRF, no rate limits."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_DIR": tmp_path / "uploads",
        "EXPORT_DIR": tmp_path / "exports",
        "TILE_URL": "",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # No release job in the schedule unless a test asks for one (tests/releases/test_releases.py).
        "RELEASE_EVERY_DAYS": 0,
    }
    config.update(overrides)
    return config


test_config.__test__ = False  # a helper, not a test, when imported into a test module


@contextmanager
def migrated_scratch_database(prefix: str = "sightline_test") -> Iterator[str]:
    """A scratch database migrated with the real migrations (`flask db upgrade`), dropped afterwards."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.kernel.extensions import db

    url = create_scratch_database(prefix)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            upgrade()
            db.engine.dispose()
        yield url
    finally:
        drop_database(url)
