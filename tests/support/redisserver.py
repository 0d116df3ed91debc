"""A throw-away Redis server on a free 127.0.0.1 port, for the tests of what the app keeps in Redis."""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TemporaryRedis:
    """`with TemporaryRedis() as server:` then `server.url(1)` is the URL of its database 1."""

    def __enter__(self) -> "TemporaryRedis":
        if not Path(REDIS_SERVER).exists():
            pytest.fail(f"{REDIS_SERVER} is missing: `make test` installs Debian's redis-server package")
        import redis

        self.folder = tempfile.TemporaryDirectory(prefix="sightline-redis-")
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.folder.name,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port).ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.__exit__()
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def url(self, database: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def client(self, database: int):
        import redis

        return redis.Redis(port=self.port, db=database)

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.folder.cleanup()
