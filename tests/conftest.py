"""Test fixtures: one PostGIS database per test session, migrated once with the real migrations; every
test runs inside a transaction that is rolled back at the end.

Tests that need real commits (a live server driven by Chromium, concurrent transactions) ask for the
`committing_db` fixture instead: they commit for real and the tables are emptied after them.
"""

import os
import threading
from pathlib import Path

import pytest
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import text
from werkzeug.serving import make_server

from tests.factories import log_in, make_user
from tests.support.database import migrated_scratch_database, test_config
from tests.support.redisserver import TemporaryRedis
from webapp import create_app
from webapp.kernel.extensions import db
from webapp.opendata.export_files import write_exports

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def database_url():
    with migrated_scratch_database() as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(test_config(database_url, tmp_path_factory.mktemp("instance")))
    return app


class _ConnectionBoundSession(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session picks the engine by table, which would bypass the test's connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


@pytest.fixture(autouse=True)
def _rolled_back_transaction(request):
    """Run each test that uses the database inside one transaction, rolled back at the end."""
    if "app" not in request.fixturenames or "committing_db" in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    # No app context stays pushed during the test: requests made by the test client must each get their own
    # (and their own `g`), as in production. The session swap below is global, not per context.
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    original_session = db.session
    # Commits inside the code under test release a savepoint instead of committing.
    db.session = db._make_scoped_session(
        {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": _ConnectionBoundSession}
    )
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
        db.session = original_session
        transaction.rollback()
        connection.close()


@pytest.fixture
def committing_db(app):
    """Real commits, visible to other connections and threads; every table is emptied afterwards."""
    yield
    with app.app_context():
        db.session.remove()
        tables = ", ".join(
            table.name for table in db.metadata.sorted_tables if table.name != "alembic_version"
        )
        with db.engine.begin() as connection:
            # LOCAL: a plain SET would stay on the pooled connection and switch triggers off for later tests.
            connection.execute(text("SET LOCAL session_replication_role = replica"))  # skip the audit trigger
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_with(database_url, tmp_path):
    """An app of its own with some settings changed: `app_with(RATELIMIT_ENABLED=True)` (same database)."""

    def make(**overrides):
        return create_app(test_config(database_url, tmp_path, **overrides))

    return make


def _logged_in(client, role: str):
    user = make_user(role=role)
    log_in(client, user)
    client.user = user
    return client


@pytest.fixture
def moderator_client(client, app_context):
    """`client`, logged in as a new moderator (the account is `moderator_client.user`)."""
    return _logged_in(client, "moderator")


@pytest.fixture
def admin_client(client, app_context):
    """`client`, logged in as a new admin (the account is `admin_client.user`)."""
    return _logged_in(client, "admin")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def exports_written(app_context):
    """The export files exist, as `make run` writes them (without them the exports answer 503 by design)."""
    write_exports(force=True)


@pytest.fixture(scope="session")
def _jobs_redis():
    with TemporaryRedis() as server:
        yield server


@pytest.fixture
def job_queue(app, _jobs_redis):
    """The app's job queue on a real redis-server (emptied after the test); run its jobs with
    tests.support.jobs.run_queued_jobs(app)."""
    app.config["JOBS_REDIS_URL"] = _jobs_redis.url(0)
    yield _jobs_redis.client(0)
    _jobs_redis.client(0).flushdb()
    app.config["JOBS_REDIS_URL"] = ""


@pytest.fixture
def live_server(app, committing_db):
    """The app served over real HTTP on 127.0.0.1 (a random port), committing for real."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page: `page.seen_urls` lists every request it made, `page.console_errors` errors."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.seen_urls = []
    page.console_errors = []
    page.on("request", lambda request: page.seen_urls.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
