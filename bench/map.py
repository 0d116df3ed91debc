"""The density map at a million cameras, measured through HTTP against gunicorn as in production.

    .venv/bin/python -m bench.map [--cameras 1000000] [--tiles-per-band 200] [--wrk-seconds 30]

Builds a scratch database `sightline_bench_map` on the local PostGIS, imports the 61,768 OpenStreetMap
cameras of data/ with `flask cameras import` (timed: the density triggers run inside it), then:
- the first view of the map at national zoom (HTML + count + vector tiles, not the cached static assets) and,
  side by side, a plain Folium page that embeds every camera (FastMarkerCluster): bytes and build time;
- grows the table to --cameras verified cameras with one set-based INSERT of synthetic cameras scattered
  around real ones (Gaussian, about 2 km), so that density looks real; the triggers run on it too;
- the same first view and plain-Folium comparison at that size;
- a full rebuild of the density pyramid, and the time for one verification to show in a low-zoom tile;
- tile latency p50/p99 per zoom band (0-5, 6-9, 10-13, 14-16), warm, over --tiles-per-band tiles per band
  picked around random real cameras (so weighted towards populated areas);
- tiles per second under Debian's wrk (-c 32) on that tile mix;
- the CSV export of every camera: time, bytes and the peak RSS of the gunicorn worker that served it.

The machine is shared (2 cores, other work running): medians of repeated runs are quoted where repeated.
The database is dropped at the end unless --keep.
"""

import argparse
import contextlib
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.server import DATA_CAMERAS, GunicornServer, flask, scratch_database

ZOOM_BANDS = ((0, 5), (6, 9), (10, 13), (14, 16))
NATIONAL_VIEW = {"lat": 39.5, "lon": -98.35, "zoom": 4}
VIEWPORT = (1280, 752)  # a 1280 x 800 window less the site header
# Synthetic cameras sit this far (one standard deviation, degrees) from the real camera they copy.
SCATTER_DEGREES = 0.02


def tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """The slippy-map tile (x, y) that holds a point at a zoom."""
    n = 2**zoom
    lat = max(min(lat, 85.0511), -85.0511)
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tiles_in_view(lon: float, lat: float, zoom: int, width: int, height: int) -> list[tuple[int, int, int]]:
    """The tiles Leaflet loads for a view: those the viewport's pixel bounds touch."""
    world = 256 * 2**zoom
    centre_x = (lon + 180.0) / 360.0 * world
    centre_y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * world
    x0, x1 = int((centre_x - width / 2) // 256), int((centre_x + width / 2) // 256)
    y0, y1 = int((centre_y - height / 2) // 256), int((centre_y + height / 2) // 256)
    n = 2**zoom
    return [(zoom, x % n, y) for x in range(x0, x1 + 1) for y in range(max(y0, 0), min(y1, n - 1) + 1)]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def sample_tiles(cameras: list[tuple[float, float]], per_band: int, seed: int = 5) -> dict:
    """Distinct tiles per zoom band around random real cameras (populated areas get more tiles)."""
    rng = random.Random(seed)
    bands = {}
    for low, high in ZOOM_BANDS:
        chosen = set()
        # Low zooms have few distinct tiles over the US (about 40 at z0-5): stop after enough attempts.
        for _ in range(per_band * 50):
            if len(chosen) >= per_band:
                break
            lon, lat = rng.choice(cameras)
            zoom = rng.randint(low, high)
            # Up to one tile's width around the camera, as a visitor's view would be.
            x, y = tile_of(lon, lat, zoom)
            n = 2**zoom
            x = min(max(x + rng.randint(-1, 1), 0), n - 1)
            y = min(max(y + rng.randint(-1, 1), 0), n - 1)
            chosen.add((zoom, x, y))
        bands[(low, high)] = sorted(chosen)
    return bands


class Client:
    def __init__(self, port: int):
        self.port = port
        self.connection = HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str) -> tuple[int, bytes, dict]:
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        body = response.read()
        return response.status, body, dict(response.getheaders())


def first_view_bytes(client: Client) -> dict:
    """Bytes the browser fetches for the national first view, except static assets it caches."""
    status, html, _ = client.get("/")
    assert status == 200, status
    tiles = tiles_in_view(NATIONAL_VIEW["lon"], NATIONAL_VIEW["lat"], NATIONAL_VIEW["zoom"], *VIEWPORT)
    tile_bytes = 0
    for zoom, x, y in tiles:
        status, body, _ = client.get(f"/tiles/{zoom}/{x}/{y}.pbf")
        assert status == 200, (zoom, x, y, status)
        tile_bytes += len(body)
    status, count, _ = client.get("/api/v1/cameras/count?bbox=-125.0,22.0,-71.0,52.0")
    assert status == 200
    return {"html": len(html), "tiles": tile_bytes, "tile_count": len(tiles), "count": len(count)}


def plain_folium_page(database_url: str) -> dict:
    """What a plain Folium page costs: every verified camera embedded with FastMarkerCluster."""
    import folium
    from folium.plugins import FastMarkerCluster

    engine = create_engine(database_url)
    started = time.perf_counter()
    with engine.connect() as connection:
        points = connection.execute(
            text("SELECT ST_Y(geom), ST_X(geom) FROM cameras WHERE status = 'verified'")
        ).all()
    fmap = folium.Map(location=[NATIONAL_VIEW["lat"], NATIONAL_VIEW["lon"]], zoom_start=4)
    FastMarkerCluster([[lat, lon] for lat, lon in points]).add_to(fmap)
    html = fmap.get_root().render()
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"bytes": len(html.encode()), "seconds": seconds, "cameras": len(points)}


def grow_to(database_url: str, total: int) -> float:
    """Add synthetic verified cameras around real ones (one set-based INSERT) until `total`; seconds."""
    engine = create_engine(database_url)
    with engine.begin() as connection:
        existing = connection.execute(text("SELECT count(*) FROM cameras")).scalar_one()
        missing = total - existing
        if missing <= 0:
            return 0.0
        copies = math.ceil(missing / existing)
        connection.execute(text("SELECT setseed(0.42)"))
        started = time.perf_counter()
        # Box-Muller gives a Gaussian scatter; vendors and directions are copied from the real camera.
        connection.execute(
            text(
                """
                INSERT INTO cameras (geom, status, vendor, directions, source, mount,
                                     first_reported_month, last_confirmed_month)
                SELECT ST_SetSRID(ST_MakePoint(
                           least(greatest(ST_X(c.geom) + :scatter * sqrt(-2 * ln(1 - random()))
                                          * cos(2 * pi() * random()), -179.9), 179.9),
                           least(greatest(ST_Y(c.geom) + :scatter * sqrt(-2 * ln(1 - random()))
                                          * sin(2 * pi() * random()), -85), 85)), 4326),
                       'verified', c.vendor, c.directions, 'report', c.mount,
                       date '2026-01-01', date '2026-06-01'
                FROM cameras AS c CROSS JOIN generate_series(1, :copies) AS copy
                WHERE c.source = 'osm'
                LIMIT :missing
                """
            ),
            {"scatter": SCATTER_DEGREES, "copies": copies, "missing": missing},
        )
        seconds = time.perf_counter() - started
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE cameras"))
        connection.execute(text("VACUUM ANALYZE density_cells"))
    engine.dispose()
    return seconds


def import_without_triggers(database_url: str) -> float:
    """The import again into an emptied table with the density triggers off (then rebuilt): what the
    triggers cost the import."""
    engine = create_engine(database_url)
    triggers = ("density_after_insert", "density_after_update", "density_after_delete")
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE cameras CASCADE"))
        for trigger in triggers:
            connection.execute(text(f"ALTER TABLE cameras DISABLE TRIGGER {trigger}"))
    started = time.perf_counter()
    flask(database_url, "cameras", "import", str(DATA_CAMERAS), stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    with engine.begin() as connection:
        for trigger in triggers:
            connection.execute(text(f"ALTER TABLE cameras ENABLE TRIGGER {trigger}"))
        connection.execute(text("SELECT density_rebuild()"))
    engine.dispose()
    return seconds


def timed_rebuild(database_url: str, runs: int = 2) -> tuple[float, int]:
    engine = create_engine(database_url)
    timings = []
    for _ in range(runs):
        with engine.begin() as connection:
            started = time.perf_counter()
            cells = connection.execute(text("SELECT density_rebuild()")).scalar_one()
        timings.append(time.perf_counter() - started)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE density_cells"))
    engine.dispose()
    return statistics.median(timings), cells


def verification_shows(database_url: str, client: Client) -> dict:
    """Verify one hidden camera and time how soon the national tile that holds it counts it."""
    engine = create_engine(database_url)
    lon, lat = -100.123, 44.456  # rural South Dakota: its cell's count is easy to follow
    zoom = 3
    x, y = tile_of(lon, lat, zoom)

    def tile_total() -> int:
        import mapbox_vector_tile

        status, body, _ = client.get(f"/tiles/{zoom}/{x}/{y}.pbf")
        assert status == 200
        layers = mapbox_vector_tile.decode(body)
        return sum(f["properties"]["count"] for f in layers.get("density", {}).get("features", []))

    with engine.begin() as connection:
        camera_id = connection.execute(
            text(
                "INSERT INTO cameras (geom, status, source) "
                "VALUES (ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 'hidden', 'report') RETURNING id"
            ),
            {"lon": lon, "lat": lat},
        ).scalar_one()
    before = tile_total()
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text("UPDATE cameras SET status = 'verified' WHERE id = :id"), {"id": camera_id})
    committed = time.perf_counter()
    after = tile_total()
    shown = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM cameras WHERE id = :id"), {"id": camera_id})
    engine.dispose()
    return {
        "commit_ms": (committed - started) * 1000,
        "until_tile_ms": (shown - started) * 1000,
        "counted": after - before,
    }


def tile_latencies(client: Client, bands: dict) -> dict:
    results = {}
    for band, tiles in bands.items():
        for zoom, x, y in tiles:  # warm-up pass: caches, plans, connections
            client.get(f"/tiles/{zoom}/{x}/{y}.pbf")
        timings, sizes, errors = [], [], 0
        for zoom, x, y in tiles:
            started = time.perf_counter()
            status, body, _ = client.get(f"/tiles/{zoom}/{x}/{y}.pbf")
            timings.append((time.perf_counter() - started) * 1000)
            sizes.append(len(body))
            errors += status != 200
        results[band] = {
            "tiles": len(tiles),
            "p50": percentile(timings, 0.5),
            "p99": percentile(timings, 0.99),
            "median_bytes": statistics.median(sizes),
            "errors": errors,
        }
    return results


WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def wrk_throughput(port: int, bands: dict, seconds: int, connections: int = 32) -> dict:
    paths = [f"/tiles/{z}/{x}/{y}.pbf" for tiles in bands.values() for z, x, y in tiles]
    random.Random(9).shuffle(paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(f'"{path}"' for path in paths))
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            script.name,
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(script.name).unlink()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    return {
        "rate": rate,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
        "paths": len(paths),
    }


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def csv_export(server: GunicornServer) -> dict:
    """Download the whole CSV export while sampling every worker's RSS; the peak of the busiest worker."""
    workers = server.worker_pids()
    baseline = {pid: rss_kib(pid) for pid in workers}
    peak = dict(baseline)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in workers:
                with contextlib.suppress(FileNotFoundError):  # a worker may be recycled meanwhile
                    peak[pid] = max(peak[pid], rss_kib(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    size = rows = 0
    with urllib.request.urlopen(
        f"http://127.0.0.1:{server.port}/api/v1/cameras.csv", timeout=600
    ) as response:
        while chunk := response.read(1 << 20):
            size += len(chunk)
            rows += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    busiest = max(workers, key=lambda pid: peak[pid] - baseline[pid])
    return {
        "seconds": seconds,
        "bytes": size,
        "rows": rows - 1,
        "peak_rss_mib": peak[busiest] / 1024,
        "baseline_rss_mib": baseline[busiest] / 1024,
    }


def kib(value: float) -> str:
    return f"{value / 1024:,.1f} KiB"


def report_first_view(label: str, ours: dict, plain: dict) -> None:
    total = ours["html"] + ours["tiles"] + ours["count"]
    print(
        f"first view at {label}: ours {kib(total)} (HTML {kib(ours['html'])}, {ours['tile_count']} tiles "
        f"{kib(ours['tiles'])}, count {ours['count']} B); plain Folium + FastMarkerCluster "
        f"{kib(plain['bytes'])} built in {plain['seconds']:.1f} s; ratio {plain['bytes'] / total:,.0f}x",
        flush=True,
    )


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=1_000_000)
    parser.add_argument("--tiles-per-band", type=int, default=200)
    parser.add_argument("--wrk-seconds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    arguments = parser.parse_args(argv)
    if not DATA_CAMERAS.exists():
        print(f"bench.map needs {DATA_CAMERAS}", file=sys.stderr)
        return 1

    # The export files of this run (flask opendata export writes them, the gunicorn below serves them).
    os.environ["EXPORT_DIR"] = tempfile.mkdtemp(prefix="sightline-bench-exports-")
    with scratch_database("map", keep=arguments.keep) as url:
        started = time.perf_counter()
        flask(url, "cameras", "import", str(DATA_CAMERAS), stdout=subprocess.DEVNULL)
        import_seconds = time.perf_counter() - started
        without_triggers = import_without_triggers(url)
        engine = create_engine(url)
        with engine.connect() as connection:
            real = connection.execute(
                text("SELECT ST_X(geom), ST_Y(geom) FROM cameras WHERE status = 'verified'")
            ).all()
        engine.dispose()
        print(
            f"import: {len(real):,} OpenStreetMap cameras with `flask cameras import` (density triggers "
            f"included) in {import_seconds:.1f} s; the same import with the triggers switched off "
            f"{without_triggers:.1f} s",
            flush=True,
        )

        with GunicornServer(url, extra_env={"RATELIMIT_ENABLED": "false"}) as server:
            client = Client(server.port)
            first_view_small = first_view_bytes(client)
        plain_small = plain_folium_page(url)
        report_first_view(f"{len(real):,} cameras", first_view_small, plain_small)

        grow_seconds = grow_to(url, arguments.cameras)
        print(
            f"grow: synthetic cameras added in one INSERT (density triggers included) "
            f"in {grow_seconds:.1f} s",
            flush=True,
        )
        rebuild_seconds, cells = timed_rebuild(url)
        print(f"rebuild: {cells:,} density cells in {rebuild_seconds:.1f} s (median of 2)", flush=True)

        bands = sample_tiles([(lon, lat) for lon, lat in real], arguments.tiles_per_band)
        with GunicornServer(url, extra_env={"RATELIMIT_ENABLED": "false"}) as server:
            client = Client(server.port)
            first_view_large = first_view_bytes(client)
            shown = verification_shows(url, client)
            print(
                f"verification: commit {shown['commit_ms']:.1f} ms; counted in the z3 tile on the first "
                f"request after it, {shown['until_tile_ms']:.1f} ms after the UPDATE began "
                f"(count change {shown['counted']:+d})",
                flush=True,
            )
            latencies = tile_latencies(client, bands)
            print("tile latency, warm, one connection (ms):", flush=True)
            for (low, high), figures in latencies.items():
                print(
                    f"  z{low}-{high}: {figures['tiles']} tiles, p50 {figures['p50']:.1f}, "
                    f"p99 {figures['p99']:.1f}, "
                    f"median tile {figures['median_bytes'] / 1024:.1f} KiB, errors {figures['errors']}",
                    flush=True,
                )
            load = wrk_throughput(server.port, bands, arguments.wrk_seconds)
            print(
                f"wrk -c32 -d{arguments.wrk_seconds}s over {load['paths']} tiles: "
                f"{load['rate']:.0f} tiles/s, "
                f"latency p50 {load['p50']} p99 {load['p99']}, non-2xx {load['non_2xx']}, socket errors "
                f"{load['socket_errors']}",
                flush=True,
            )
            flask(url, "opendata", "export", stdout=subprocess.DEVNULL)  # the file the route serves
            export = csv_export(server)
            print(
                f"CSV export: {export['rows']:,} rows, {export['bytes'] / 2**20:.0f} MiB in "
                f"{export['seconds']:.1f} s; serving worker RSS {export['baseline_rss_mib']:.0f} MiB before, "
                f"peak {export['peak_rss_mib']:.0f} MiB",
                flush=True,
            )
        plain_large = plain_folium_page(url)
        report_first_view(f"{plain_large['cameras']:,} cameras", first_view_large, plain_large)
    return 0


if __name__ == "__main__":
    sys.exit(main())
