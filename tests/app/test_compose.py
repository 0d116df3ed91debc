"""docker-compose.yml and the Dockerfile, checked without a Docker engine: the services and their order of
start, the healthchecks and volumes, and that every command they run exists in this project."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gunicorn.util import import_app
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text()
GUNICORN_COMMAND = ["gunicorn", "-c", "gunicorn.conf.py", "webapp:create_app()"]


def commands_of(service: dict) -> list[list[str]]:
    """The commands a service runs, with `sh -c "a && b"` split into its parts."""
    command = service["command"]
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if argv[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in argv[2].split("&&")]
    return [argv]


def dockerfile_cmd() -> list[str]:
    (line,) = [line for line in DOCKERFILE.splitlines() if line.startswith("CMD ")]
    return yaml.safe_load(line.removeprefix("CMD "))


def test_services_and_the_order_they_start_in():
    assert {"db", "migrate", "web"} <= set(SERVICES)
    assert re.fullmatch(r"postgis/postgis:15-3\.\d+", SERVICES["db"]["image"])
    assert SERVICES["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert SERVICES["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    # Services the web tier depends on are healthy first, whatever they are.
    for name, dependency in SERVICES["web"]["depends_on"].items():
        expected = "service_completed_successfully" if name == "migrate" else "service_healthy"
        assert dependency["condition"] == expected
        assert name in SERVICES
        if expected == "service_healthy":
            assert SERVICES[name]["healthcheck"]["test"], name


def test_database_healthcheck_asks_the_database_the_app_uses():
    database = SERVICES["db"]["environment"]
    check = SERVICES["db"]["healthcheck"]["test"]
    assert check[0] == "CMD-SHELL"
    argv = shlex.split(check[1])
    assert argv[0] == "pg_isready"
    assert argv[argv.index("-U") + 1] == database["POSTGRES_USER"]
    assert argv[argv.index("-d") + 1] == database["POSTGRES_DB"]

    url = make_url(SERVICES["web"]["environment"]["DATABASE_URL"])
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.username, url.database) == (
        "db",
        database["POSTGRES_USER"],
        database["POSTGRES_DB"],
    )
    # The password is never written into the file: it comes from the environment, and both sides use the same.
    assert "${POSTGRES_PASSWORD" in SERVICES["web"]["environment"]["DATABASE_URL"]
    assert database["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD")
    assert SERVICES["web"]["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_named_volumes_hold_the_database_and_the_uploads():
    declared = set(COMPOSE["volumes"])
    assert {"pgdata", "uploads"} <= declared
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    for name in ("migrate", "web"):
        upload_dir = SERVICES[name]["environment"]["UPLOAD_DIR"]
        assert f"uploads:{upload_dir}" in SERVICES[name]["volumes"], name
    used = {mount.split(":")[0] for service in SERVICES.values() for mount in service.get("volumes", [])}
    assert used == declared


def test_web_runs_gunicorn_with_the_project_config_and_app_factory():
    assert commands_of(SERVICES["web"]) == [GUNICORN_COMMAND]
    assert dockerfile_cmd() == GUNICORN_COMMAND
    assert (PROJECT_ROOT / "gunicorn.conf.py").is_file()
    assert SERVICES["web"]["environment"]["BIND"] == "0.0.0.0:8000"
    assert any(port.endswith(":8000") for port in SERVICES["web"]["ports"])


def test_the_app_factory_string_loads_the_way_gunicorn_loads_it(monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)
    app = import_app(GUNICORN_COMMAND[-1])
    assert app.name == "webapp"
    assert callable(app.wsgi_app)


def test_gunicorn_accepts_the_config_file():
    result = subprocess.run(
        [Path(sys.executable).parent / "gunicorn", "--check-config", *GUNICORN_COMMAND[1:]],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_flask_command_in_the_file_is_a_real_command_of_the_app(runner):
    flask_commands = [
        argv for service in SERVICES.values() if "command" in service for argv in commands_of(service)
    ]
    flask_commands = [argv for argv in flask_commands if argv[0] == "flask"]
    assert ["flask", "db", "upgrade"] in flask_commands
    for argv in flask_commands:
        result = runner.invoke(args=[*argv[1:], "--help"])
        assert result.exit_code == 0, f"{shlex.join(argv)}: {result.output}"
    # A misspelt command does fail this way, so the check above means something.
    assert runner.invoke(args=["db", "upgrayed", "--help"]).exit_code != 0


def test_the_web_healthcheck_asks_a_real_page(app):
    check = " ".join(SERVICES["web"]["healthcheck"]["test"])
    (path,) = re.findall(r"http://127\.0\.0\.1:8000(/[^'\"]*)", check)
    adapter = app.url_map.bind("localhost")
    assert adapter.match(path, method="GET")


@pytest.mark.parametrize("service", ["migrate", "worker", "web"])
def test_every_setting_passed_is_one_the_app_or_gunicorn_reads(service):
    readers = (PROJECT_ROOT / "webapp" / "kernel" / "config.py").read_text() + (
        PROJECT_ROOT / "gunicorn.conf.py"
    ).read_text()
    for name in SERVICES[service]["environment"]:
        assert name == "FLASK_APP" or f'"{name}"' in readers, f"{service}: {name} is read by nothing"


def test_the_image_holds_what_the_commands_need():
    copied = [
        line.split()[1:-1]
        for line in DOCKERFILE.splitlines()
        if line.startswith("COPY ") and "--from=" not in line
    ]
    sources = {source for line in copied for source in line}
    assert {"gunicorn.conf.py", "migrations", "webapp", "requirements.lock", "pyproject.toml"} <= sources
    for source in sources:
        assert (PROJECT_ROOT / source).exists(), source
    ignored = {
        line.strip()
        for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert not sources & ignored
    # The front-end files are built from the lock file inside the image, never fetched from a CDN.
    assert "npm ci" in DOCKERFILE and "COPY --from=assets /src/node_modules ./node_modules" in DOCKERFILE
    assert "USER sightline" in DOCKERFILE


# Issue 15: PostgreSQL keeps no exact time of a report in its log or its commit timestamps.
PRIVATE_POSTGRES_SETTINGS = {
    "log_statement": "none",
    "log_min_duration_statement": "-1",
    "log_min_error_statement": "panic",
    "log_connections": "off",
    "log_disconnections": "off",
    "track_commit_timestamp": "off",
    "wal_recycle": "off",
    "log_checkpoints": "off",
    "log_autovacuum_min_duration": "-1",
    "log_min_messages": "fatal",
}


def _settings_of(argv: list[str]) -> dict[str, str]:
    settings = {}
    for flag, value in zip(argv, argv[1:], strict=False):
        if flag == "-c":
            name, _, setting = value.partition("=")
            settings[name] = setting
    return settings


def test_the_database_service_runs_with_statement_and_connection_logging_off():
    command = SERVICES["db"]["command"]
    assert command[0] == "postgres"  # the image's entrypoint passes a command starting so to the server
    assert _settings_of(command) == PRIVATE_POSTGRES_SETTINGS


def test_the_local_cluster_runs_with_the_same_settings(app_context):
    """scripts/pg started the tests' own server (unless TEST_DATABASE_URL points elsewhere): ask it."""
    import os

    from sqlalchemy import text

    from webapp.kernel.extensions import db

    if os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL"):
        pytest.skip("the tests run against another server than scripts/pg's")
    shown = {
        name: db.session.execute(text(f"SHOW {name}")).scalar_one() for name in PRIVATE_POSTGRES_SETTINGS
    }
    assert shown == PRIVATE_POSTGRES_SETTINGS


def test_the_local_servers_log_gets_no_line_for_a_client_error_or_a_checkpoint(app_context):
    """Issue 20: PostgreSQL logged `ERROR: bigint out of range` to the millisecond for a request, and a
    checkpoint line after writes (bounding each report to a 5-minute window)."""
    import os
    import subprocess
    import time

    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from tests.support.database import PROJECT_ROOT
    from webapp.kernel.extensions import db

    if os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL"):
        pytest.skip("the tests run against another server than scripts/pg's")
    log = subprocess.run(
        [PROJECT_ROOT / "scripts" / "pg", "logfile"], capture_output=True, text=True, check=True
    ).stdout.strip()
    written = os.path.getsize(log)
    with db.engine.connect() as connection:
        for failing in (
            "SELECT 1/0",
            "SELECT 9223372036854775807::bigint + 1",
            "SELECT * FROM no_such_table",
        ):
            with pytest.raises(DBAPIError):
                connection.execute(text(failing))
            connection.rollback()
        connection.execute(text("CREATE TEMPORARY TABLE written (n int)"))
        connection.execute(text("INSERT INTO written SELECT generate_series(1, 1000)"))
        connection.commit()
        connection.execute(text("CHECKPOINT"))
    time.sleep(0.5)  # the checkpointer and the backends write to the log themselves
    with open(log, "rb") as file:
        file.seek(written)
        assert file.read() == b""


def test_the_app_port_is_published_on_the_loopback_interface_only():
    # The reverse proxy on the host reaches it; nobody else can (and forge X-Forwarded-For past the proxy).
    for port in SERVICES["web"]["ports"]:
        mapping = port if isinstance(port, str) else f"{port.get('host_ip', '')}:{port['published']}"
        assert mapping.startswith("127.0.0.1:"), port
    assert not any("ports" in service for name, service in SERVICES.items() if name != "web")


def test_the_proxy_hop_is_trusted_and_the_salt_lives_apart_from_the_counters():
    from webapp.kernel.http.ratelimit import check_salt_storage, redis_keyspace

    environment = SERVICES["web"]["environment"]
    assert environment["PROXY_HOPS"] == "${PROXY_HOPS:-1}"
    counters, salt = environment["RATELIMIT_STORAGE_URI"], environment["RATELIMIT_SALT_URI"]
    assert redis_keyspace(counters) != redis_keyspace(salt)
    check_salt_storage({"RATELIMIT_STORAGE_URI": counters, "RATELIMIT_SALT_URI": salt})


def test_the_worker_runs_the_jobs_and_writes_the_files_web_serves():
    assert "exporter" not in SERVICES  # the worker's export check replaced its loop
    worker = SERVICES["worker"]
    assert commands_of(worker) == [["flask", "jobs", "worker"]]
    assert worker["restart"] == "unless-stopped"
    for name, expected in (("db", "service_healthy"), ("redis", "service_healthy")):
        assert worker["depends_on"][name]["condition"] == expected
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for name in ("worker", "web"):
        export_dir = SERVICES[name]["environment"]["EXPORT_DIR"]
        assert f"exports:{export_dir}" in SERVICES[name]["volumes"], name
        # web queues jobs and shows them; the worker runs them: one queue.
        assert SERVICES[name]["environment"]["JOBS_REDIS_URL"] == "redis://redis:6379/2", name


def test_the_job_queue_lives_apart_from_the_salt():
    from webapp.kernel.http.ratelimit import redis_keyspace

    environment = SERVICES["worker"]["environment"]
    assert redis_keyspace(environment["JOBS_REDIS_URL"]) not in {
        redis_keyspace(environment["RATELIMIT_SALT_URI"]),
        redis_keyspace(environment["RATELIMIT_STORAGE_URI"]),
    }
    assert SERVICES["redis"]["command"] == ["redis-server", "--save", "", "--appendonly", "no"]


def test_the_first_migrate_loads_the_shipped_data_the_image_holds():
    paths = [
        Path(word) for argv in commands_of(SERVICES["migrate"]) for word in argv if word.startswith("data/")
    ]
    assert {path.parts[1] for path in paths} == {
        "us-states-metrics.geojson.gz",
        "us-counties-metrics.geojson.gz",
        "news-observer-private-eyes",
        "deflockhopper-maps-cameras-us.json.gz",
    }
    assert all((PROJECT_ROOT / path).exists() for path in paths)
    assert "COPY data ./data" in DOCKERFILE
    assert "data" not in (PROJECT_ROOT / ".dockerignore").read_text().split()
