"""What the benchmarks share: a scratch database filled with cameras, and the app served by gunicorn as in
production."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The real data the repository ships (data/SOURCES.md).
DATA = PROJECT_ROOT / "data"
DATA_CAMERAS = DATA / "deflockhopper-maps-cameras-us.json.gz"
DATA_STATES = DATA / "us-states-metrics.geojson.gz"
DATA_COUNTIES = DATA / "us-counties-metrics.geojson.gz"
DATA_AGENCIES = DATA / "news-observer-private-eyes"


def local_server_url() -> str:
    """The URL of the project's local PostGIS (started if needed), or DATABASE_URL when set."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    subprocess.run([PROJECT_ROOT / "scripts" / "pg", "start"], check=True, stdout=subprocess.DEVNULL)
    return subprocess.run(
        [PROJECT_ROOT / "scripts" / "pg", "url"], check=True, capture_output=True, text=True
    ).stdout.strip()


def flask(database_url: str, *arguments: str, **run_options) -> subprocess.CompletedProcess:
    environment = {**os.environ, "FLASK_APP": "webapp", "DATABASE_URL": database_url}
    return subprocess.run(
        [BIN / "flask", *arguments], env=environment, check=True, cwd=PROJECT_ROOT, **run_options
    )


@contextmanager
def scratch_database(name: str, keep: bool = False):
    """A fresh database `sightline_bench_<name>` on the local PostGIS, migrated with `flask db upgrade`;
    dropped afterwards unless `keep`. Yields its URL."""
    server = make_url(local_server_url())
    database = f"sightline_bench_{name}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    url = server.set(database=database).render_as_string(hide_password=False)
    try:
        print(f"bench: migrating {database}", flush=True)
        flask(url, "db", "upgrade", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        yield url
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def kept_database(name: str):
    """The database `sightline_bench_<name>` an earlier run kept (--keep), as it is. Yields its URL."""
    server = make_url(local_server_url())
    database = f"sightline_bench_{name}"
    admin = create_engine(server.set(database="postgres"))
    with admin.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
        )
        if found.first() is None:
            raise SystemExit(f"bench: no database {database}; run once with --keep first")
    admin.dispose()
    yield server.set(database=database).render_as_string(hide_password=False)


@contextmanager
def prepared_database(name: str, cameras_file: str | None = None):
    """A scratch database holding cameras: the OpenStreetMap file of data/ (or `cameras_file`), or 5,000 demo
    cameras when the file is missing. Yields (url, description of the data)."""
    with scratch_database(name) as url:
        path = Path(cameras_file) if cameras_file else DATA_CAMERAS
        if path.exists():
            print(f"bench: importing {path}", flush=True)
            flask(url, "cameras", "import", str(path), stdout=subprocess.DEVNULL)
            dataset = f"the cameras of {path.name}"
        else:
            print(f"bench: {path} is missing; seeding 5,000 demo cameras", flush=True)
            flask(url, "cameras", "seed-demo", "--count", "5000", stdout=subprocess.DEVNULL)
            dataset = "5,000 synthetic demo cameras"
        yield url, dataset


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornServer:
    """gunicorn with the project's gunicorn.conf.py on a free 127.0.0.1 port; output goes to a log file."""

    def __init__(
        self,
        database_url: str,
        extra_env: dict | None = None,
        log_path: Path | None = None,
        extra_args: tuple = (),
        app: str = "webapp:create_app()",
    ):
        self.port = free_port()
        self.app = app
        self.extra_args = list(extra_args)
        self.database_url = database_url
        self.extra_env = extra_env or {}
        self.uploads = tempfile.TemporaryDirectory(prefix="sightline-bench-uploads-")
        self.upload_dir = Path(self.uploads.name) / "photos"
        self.log_path = log_path or Path(self.uploads.name) / "gunicorn.log"
        self.process = None

    def __enter__(self) -> "GunicornServer":
        environment = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": "bench-secret-key",
            "UPLOAD_DIR": str(self.upload_dir),
            "BIND": f"127.0.0.1:{self.port}",
            **self.extra_env,
        }
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            [
                BIN / "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                *self.extra_args,
                self.app,
            ],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        # Workers import the whole app: on a busy shared machine that takes a while.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/privacy", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer within 180 s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        """The worker processes' ids (children of the gunicorn master)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(pid) for pid in children.split()]

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        self.uploads.cleanup()
