"""Test fixtures: one PostGIS database per test session, migrated once with the real migrations.

A test that uses the database asks for it: `db_session` (directly, or through `client`, `runner`,
`app_context`, `moderator_client`, `admin_client`, ...) runs the test inside one transaction that is rolled
back at the end. Tests that need real commits (a live server driven by Chromium, concurrent transactions) ask
for `committing_db` instead: they commit for real and the tables are emptied after them. The two never meet in
one test, and the app's session refuses to open a transaction in a test that asked for neither.
"""

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, make_url, text
from werkzeug.serving import make_server

from tests.factories import log_in, make_user
from tests.support.database import migrated_scratch_database, test_config
from tests.support.maps import KEEP_INSTANCES
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


class _DatabaseAsked:
    """Which database the running test asked for: "rolled back" (db_session), "committing" (committing_db),
    "its own" (own_database, with the test session's database as `closed_url`) or None. The app's session
    checks it each time it begins a transaction."""

    kind: str | None = None
    closed_url: str | None = None

    @classmethod
    @contextmanager
    def asking(cls, kind: str, closed_url: str | None = None):
        assert cls.kind is None, f"a test asks for one database fixture at most ({cls.kind}, then {kind})"
        cls.kind, cls.closed_url = kind, closed_url
        try:
            yield
        finally:
            cls.kind = cls.closed_url = None

    @classmethod
    def check(cls, session, transaction, connection) -> None:
        if cls.kind is None:
            raise RuntimeError(
                "this test uses the database without asking for it: add the db_session fixture (or client, "
                "runner, app_context, ...), or committing_db for real commits"
            )
        if cls.closed_url is not None and connection.engine.url == make_url(cls.closed_url):
            raise RuntimeError("a test with own_database reached the test session's database")


# Global, as the session it guards: from the first test on, whatever app (`app`, `app_with`) the test builds.
event.listen(db.session.session_factory, "after_begin", _DatabaseAsked.check)


@pytest.fixture
def db_session(app):
    """The app's session (`db.session`), bound to one connection whose transaction is rolled back after the
    test.

    As Warehouse's `db_session`: an outer transaction on a connection and the session joined to it with
    `join_transaction_mode="create_savepoint"`, so a commit in the code under test releases a savepoint and
    nothing outlives the test. The binding goes through the session factory's public `configure()`; the
    app's session class (webapp.kernel.extensions.Session) honours a bind given to the session. No app
    context stays pushed: requests made by the test client each get their own (and their own `g`), as in
    production.
    """
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    with _DatabaseAsked.asking("rolled back"):
        with app.app_context():  # a scoped session is keyed by app context: configure it in a fresh one
            db.session.configure(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield db.session
        finally:
            with app.app_context():
                db.session.remove()
                # SQLAlchemy's defaults again: the engine by table, a commit commits.
                db.session.configure(bind=None, join_transaction_mode="conditional_savepoint")
            transaction.rollback()
            connection.close()


@pytest.fixture
def committing_db(app):
    """Real commits, visible to other connections and threads; every table is emptied afterwards."""
    with _DatabaseAsked.asking("committing"):
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
def own_database(database_url):
    """For a test whose app works on a database or cluster of its own
    (`app_with(SQLALCHEMY_DATABASE_URI=...)`): it commits there for real; the test session's database stays
    closed to it."""
    with _DatabaseAsked.asking("its own", closed_url=database_url):
        yield


@pytest.fixture
def client(app, db_session):
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
def runner(app, db_session):
    return app.test_cli_runner()


@pytest.fixture
def app_context(app, db_session):
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
    """A fresh browser page: `page.seen_urls` lists every request it made, `page.console_errors` errors; its
    maps and graphs are reachable (tests.support.maps.on_map)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(KEEP_INSTANCES)
    page = context.new_page()
    page.seen_urls = []
    page.console_errors = []
    page.on("request", lambda request: page.seen_urls.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
