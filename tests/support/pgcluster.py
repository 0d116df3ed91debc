"""A throw-away PostgreSQL + PostGIS cluster of its own, for tests that stop and start the server."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list) -> list:
    # initdb and pg_ctl refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *map(str, command)] if os.geteuid() == 0 else list(command)


class TemporaryCluster:
    def __init__(self):
        # /var/tmp, not pytest's tmp_path: the `postgres` user must be able to enter the folder.
        self.root = Path(tempfile.mkdtemp(prefix="sightline-pg-", dir="/var/tmp"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        subprocess.run(
            _as_server_user(
                [
                    PG_BIN / "initdb",
                    "-D",
                    self.data,
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        subprocess.run(
            _as_server_user(
                [
                    PG_BIN / "pg_ctl",
                    "-D",
                    self.data,
                    "-l",
                    self.root / "log",
                    "-w",
                    "-o",
                    f"-k {self.root} -h 127.0.0.1 -p {self.port} -c fsync=off",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self, mode: str = "immediate") -> None:
        subprocess.run(
            _as_server_user([PG_BIN / "pg_ctl", "-D", self.data, "-w", "-m", mode, "stop"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def destroy(self) -> None:
        subprocess.run(
            _as_server_user([PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.root, ignore_errors=True)

    def wait_until(self, predicate, timeout: float) -> float:
        """Poll predicate() until it is true; return the seconds it took (raise after timeout)."""
        started = time.monotonic()
        while not predicate():
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"not true within {timeout} s")
            time.sleep(0.1)
        return time.monotonic() - started
