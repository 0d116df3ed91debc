"""Mixed load against the app served by gunicorn as in production, on 127.0.0.1 only.

    .venv/bin/python -m bench.load [--seconds 60] [--connections 32] [--cameras PATH]

Builds a scratch database on the local PostGIS, imports the OpenStreetMap cameras from data/
(or seeds demo cameras when the file is absent), starts gunicorn with gunicorn.conf.py and drives, for
--seconds, a workload of 80 % vector tiles, 10 % camera pages, 5 % bbox API queries and 5 % submissions
with a photo over --connections keep-alive connections. It prints throughput and p50/p99 per kind, then
checks that every submission the server acknowledged (201) is in the database.
Exit status 1 on any 5xx or a count mismatch.
"""

import argparse
import io
import os
import random
import resource
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException

from PIL import Image, ImageDraw
from sqlalchemy import create_engine, text

from bench.map import percentile, tile_of
from bench.server import GunicornServer, prepared_database

KINDS = (("tile", 0.80), ("camera_page", 0.10), ("bbox_api", 0.05), ("submission", 0.05))


@dataclass
class Tally:
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    statuses: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    acknowledged: int = 0
    transport_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1
            if kind == "submission" and status == 201:
                self.acknowledged += 1


def multipart_body(fields: dict, photo: bytes) -> tuple[bytes, str]:
    boundary = f"sightline{random.getrandbits(64):016x}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="camera.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def sample_photo() -> bytes:
    """A 1600x1200 JPEG with some structure, the size of a resized phone photo (about 100-300 KB)."""
    image = Image.new("RGB", (1600, 1200), (90, 110, 130))
    draw = ImageDraw.Draw(image)
    rng = random.Random(7)
    for _ in range(400):
        x, y = rng.randrange(1600), rng.randrange(1200)
        draw.rectangle(
            (x, y, x + rng.randrange(5, 80), y + rng.randrange(5, 80)),
            fill=tuple(rng.choices(range(256), k=3)),
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


class Client:
    """One keep-alive connection that reconnects when the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.connection = HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> int:
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                return response.status
            except (HTTPException, ConnectionError, TimeoutError):
                self.connection.close()
                self.connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def drive(port: int, cameras: list, seconds: float, tally: Tally, photo: bytes, seed: int) -> None:
    rng = random.Random(seed)
    client = Client(port)
    kinds = [kind for kind, _ in KINDS]
    weights = [weight for _, weight in KINDS]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        camera_id, lon, lat = rng.choice(cameras)
        method, body, headers = "GET", None, {}
        if kind == "tile":
            zoom = rng.randint(3, 16)
            x, y = tile_of(lon, lat, zoom)
            path = f"/tiles/{zoom}/{x}/{y}.pbf"
        elif kind == "camera_page":
            path = f"/cameras/{camera_id}"
        elif kind == "bbox_api":
            half = rng.uniform(0.005, 0.05)
            path = f"/api/v1/cameras?bbox={lon - half:.5f},{lat - half:.5f},{lon + half:.5f},{lat + half:.5f}"
        else:
            method, path = "POST", "/api/v1/sightings"
            fields = {
                "lat": f"{lat + rng.uniform(-0.01, 0.01):.6f}",
                "lon": f"{lon + rng.uniform(-0.01, 0.01):.6f}",
                "directions": str(rng.randrange(0, 360)),
                "vendor": "flock-safety",
                "mount": "pole",
            }
            body, content_type = multipart_body(fields, photo)
            headers = {"Content-Type": content_type}
        started = time.perf_counter()
        try:
            status = client.request(method, path, body, headers)
        except (HTTPException, OSError):
            with tally.lock:
                tally.transport_errors += 1
            continue
        tally.add(kind, time.perf_counter() - started, status)


def report(tally: Tally, seconds: float, connections: int, dataset: str) -> int:
    total = sum(len(values) for values in tally.latencies.values())
    print(f"\nload: {seconds:.0f} s at {connections} connections on {dataset}")
    print(f"{'kind':<12} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for kind, _ in KINDS:
        values = tally.latencies.get(kind, [])
        if not values:
            print(f"{kind:<12} {0:>9}")
            continue
        statuses = ", ".join(f"{code}: {count}" for code, count in sorted(tally.statuses[kind].items()))
        print(
            f"{kind:<12} {len(values):>9} {len(values) / seconds:>8.1f} "
            f"{percentile(values, 0.5) * 1000:>8.1f} {percentile(values, 0.99) * 1000:>8.1f}  {statuses}"
        )
    print(f"{'all':<12} {total:>9} {total / seconds:>8.1f}")
    server_errors = sum(
        count for kind in tally.statuses.values() for code, count in kind.items() if code >= 500
    )
    print(f"5xx answers: {server_errors}; transport errors: {tally.transport_errors}")
    return server_errors


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--cameras", help="camera file to import (default: the shipped OpenStreetMap file)")
    arguments = parser.parse_args(argv)

    with prepared_database("load", arguments.cameras) as (database_url, dataset):
        engine = create_engine(database_url)
        with engine.connect() as connection:
            cameras = connection.execute(
                text(
                    "SELECT id, ST_X(geom), ST_Y(geom) FROM cameras "
                    "WHERE status = 'verified' ORDER BY random() LIMIT 20000"
                )
            ).all()
            sightings_before = connection.execute(text("SELECT count(*) FROM sightings")).scalar_one()
        if not cameras:
            print("load: no verified cameras to drive the workload with", file=sys.stderr)
            return 1
        photo = sample_photo()
        tally = Tally()
        with GunicornServer(database_url, extra_env={"RATELIMIT_ENABLED": "false"}) as server:
            print(
                f"load: gunicorn on 127.0.0.1:{server.port}, {arguments.connections} connections, "
                f"{arguments.seconds:.0f} s ...",
                flush=True,
            )
            threads = [
                threading.Thread(
                    target=drive,
                    args=(server.port, cameras, arguments.seconds, tally, photo, seed),
                    daemon=True,
                )
                for seed in range(arguments.connections)
            ]
            client_cpu = resource.getrusage(resource.RUSAGE_SELF)
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            client_cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        server_errors = report(tally, arguments.seconds, arguments.connections, dataset)
        used = (client_cpu_after.ru_utime + client_cpu_after.ru_stime) - (
            client_cpu.ru_utime + client_cpu.ru_stime
        )
        # The load generator shares the machine's cores with the server: say how much of them it took.
        print(f"load generator CPU: {used:.1f} s over {arguments.seconds:.0f} s (on {os.cpu_count()} cores)")
        with engine.connect() as connection:
            stored = (
                connection.execute(text("SELECT count(*) FROM sightings")).scalar_one() - sightings_before
            )
        engine.dispose()
    matched = stored == tally.acknowledged
    print(
        f"submissions acknowledged (201): {tally.acknowledged}; sightings stored: {stored}; "
        f"{'equal' if matched else 'MISMATCH'}"
    )
    latencies = tally.latencies.get("tile", [])
    if latencies:
        print(f"median tile latency {statistics.median(latencies) * 1000:.1f} ms")
    return 0 if server_errors == 0 and matched and tally.transport_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
