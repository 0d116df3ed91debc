"""Coverage figures at a million cameras, measured through HTTP against gunicorn as in production.

    .venv/bin/python -m bench.coverage [--cameras 1000000] [--requests 200] [--keep | --reuse]

Builds a scratch database `sightline_bench_coverage` on the local PostGIS, loads the US states and counties
of data/ with `flask areas import`, imports the 61,768 OpenStreetMap cameras with `flask cameras
import`, and grows the table to --cameras verified cameras as bench.map does (copies scattered around real
cameras; the row trigger gives each its state and county, the statement triggers count them). Then, under
gunicorn (gunicorn.conf.py, rate limits off), each figure --requests times over one keep-alive connection:
- every US county with its ratios, ranks and breakdowns (`GET /api/v1/coverage/counties`), both as served
  while nothing changes (kept in memory at the counts' version) and when the counts change before every
  request (a random camera hidden, then verified again, committed by another connection: the answer is
  brought up to date), the worst case;
- one county's figures (`GET /api/v1/coverage/areas/<geoid>`, random populated counties), the same two ways;
- a polygon the size of a county (`POST /api/v1/coverage/polygon` with the boundary of a random populated
  county);
- a 100 km route with a 75 m buffer (`POST /api/v1/coverage/route`, 1,001 points 100 m apart wandering from a
  random camera in a busy county);
- how soon a verification committed by another connection shows in its county's figures;
- the naive way for comparison: a spatial join of every camera against every county per request (SQL timed
  in PostgreSQL), and against one county.
Medians and p95 of the requests; the machine is shared (2 cores), so quote ratios measured in one run.
"""

import argparse
import json
import math
import random
import statistics
import subprocess
import sys
import time
from http.client import HTTPConnection

from sqlalchemy import create_engine, text

from bench.map import grow_to, percentile
from bench.server import (
    DATA_CAMERAS,
    DATA_COUNTIES,
    DATA_STATES,
    GunicornServer,
    flask,
    kept_database,
    scratch_database,
)

ROUTE_POINTS = 1001
ROUTE_STEP_M = 100.0


class Client:
    def __init__(self, port: int):
        self.connection = HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/geo+json"} if body is not None else {}
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()


DATA_AREAS = [DATA_STATES, DATA_COUNTIES]


def timed(client: Client, method: str, path: str, body: bytes | None = None) -> tuple[float, bytes]:
    started = time.perf_counter()
    status, data = client.request(method, path, body)
    elapsed = (time.perf_counter() - started) * 1000
    assert status == 200, (path, status, data[:300])
    return elapsed, data


def summary(timings: list[float]) -> str:
    return f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms"


def busy_counties(engine, count: int) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                text(
                    "SELECT a.geoid FROM areas AS a JOIN area_camera_counts AS c USING (geoid) "
                    "WHERE a.kind = 'county' GROUP BY a.geoid ORDER BY sum(c.cameras) DESC LIMIT :n"
                ),
                {"n": count},
            ).scalars()
        )


class CountChanges:
    """Changes the counts as moderation does, committed by another connection: a random verified camera
    hidden, then verified again by the next change (one county and its state move by one camera each time);
    `restore()` leaves every camera as it was."""

    def __init__(self, engine, rng: random.Random):
        self.engine, self.rng, self.hidden = engine, rng, None
        with engine.connect() as connection:
            self.last_id = connection.execute(text("SELECT max(id) FROM cameras")).scalar_one()

    def change(self) -> None:
        with self.engine.begin() as connection:
            if self.hidden is None:
                self.hidden = connection.execute(
                    text(
                        "UPDATE cameras SET status = 'hidden' WHERE id = (SELECT id FROM cameras "
                        "WHERE id >= :start AND status = 'verified' AND county_geoid IS NOT NULL "
                        "ORDER BY id LIMIT 1) RETURNING id"
                    ),
                    {"start": self.rng.randint(1, self.last_id)},
                ).scalar()
            else:
                connection.execute(
                    text("UPDATE cameras SET status = 'verified' WHERE id = :id"), {"id": self.hidden}
                )
                self.hidden = None

    def restore(self) -> None:
        if self.hidden is not None:
            self.change()


def measure_get(client: Client, paths: list[str], requests: int, changes: CountChanges | None) -> list[float]:
    timings = []
    for index in range(requests):
        if changes is not None:
            changes.change()
        elapsed, _ = timed(client, "GET", paths[index % len(paths)])
        timings.append(elapsed)
    return timings


def county_polygons(engine, geoids: list[str]) -> list[bytes]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT ST_AsGeoJSON(geom, 6) FROM areas "
                "WHERE geoid = ANY(:geoids) AND ST_NPoints(geom) < 9000"
            ),
            {"geoids": geoids},
        ).scalars()
        return [row.encode() for row in rows]


def wandering_route(rng: random.Random, lon: float, lat: float) -> bytes:
    """1,001 points 100 m apart (100 km), heading drifting a few degrees per step, like a drive."""
    heading = rng.uniform(0, 360)
    points = [[round(lon, 6), round(lat, 6)]]
    for _ in range(ROUTE_POINTS - 1):
        heading += rng.uniform(-8, 8)
        dlat = ROUTE_STEP_M * math.cos(math.radians(heading)) / 111_195
        dlon = ROUTE_STEP_M * math.sin(math.radians(heading)) / (111_195 * math.cos(math.radians(lat)))
        lon, lat = lon + dlon, lat + dlat
        points.append([round(lon, 6), round(lat, 6)])
    return json.dumps({"type": "LineString", "coordinates": points}).encode()


def route_starts(engine, geoids: list[str], count: int) -> list[tuple[float, float]]:
    with engine.connect() as connection:
        connection.execute(text("SELECT setseed(0.7)"))
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT ST_X(geom), ST_Y(geom) FROM cameras WHERE county_geoid = ANY(:geoids) "
                    "AND source = 'osm' ORDER BY random() LIMIT :n"
                ),
                {"geoids": geoids, "n": count},
            )
        ]


def verification_delay(client: Client, engine, geoid: str, runs: int = 5) -> list[float]:
    """ms from the commit of a verification (another connection) until the county's figures count it."""
    delays = []
    with engine.connect() as connection:
        lon, lat = connection.execute(
            text(
                "SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) "
                "FROM areas WHERE geoid = :g"
            ),
            {"g": geoid},
        ).one()
    for _ in range(runs):
        with engine.begin() as connection:
            camera_id = connection.execute(
                text(
                    "INSERT INTO cameras (geom, status, source) "
                    "VALUES (ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 'hidden', 'report') RETURNING id"
                ),
                {"lon": lon, "lat": lat},
            ).scalar_one()
        _, data = timed(client, "GET", f"/api/v1/coverage/areas/{geoid}")
        before = json.loads(data)["area"]["cameras"]
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE cameras SET status = 'verified' WHERE id = :id"), {"id": camera_id}
            )
        committed = time.perf_counter()
        while True:
            _, data = timed(client, "GET", f"/api/v1/coverage/areas/{geoid}")
            if json.loads(data)["area"]["cameras"] == before + 1:
                delays.append((time.perf_counter() - committed) * 1000)
                break
            assert time.perf_counter() - committed < 10, "the verification never showed"
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM cameras WHERE id = :id"), {"id": camera_id})
    return delays


NAIVE_ALL = """
    SELECT a.geoid, count(c.id), a.population, a.road_miles
    FROM areas AS a LEFT JOIN cameras AS c
      ON ST_Intersects(a.geom, c.geom) AND c.status = 'verified' AND NOT c.demo
    WHERE a.kind = 'county' GROUP BY a.geoid
"""
NAIVE_ONE = """
    SELECT c.vendor, c.operator, count(*) FROM areas AS a JOIN cameras AS c
      ON ST_Intersects(a.geom, c.geom) AND c.status = 'verified' AND NOT c.demo
    WHERE a.geoid = :geoid GROUP BY 1, 2
"""


def naive(engine, sql: str, params: dict, runs: int) -> list[float]:
    timings = []
    with engine.connect() as connection:
        for _ in range(runs):
            started = time.perf_counter()
            connection.execute(text(sql), params).all()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def build(url: str, cameras: int) -> None:
    """Load the states and counties and the OpenStreetMap cameras of data/, then grow to `cameras`."""
    started = time.perf_counter()
    flask(url, "areas", "import", *map(str, DATA_AREAS), stdout=subprocess.DEVNULL)
    print(f"areas: 52 states and 3,222 counties loaded in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    flask(url, "cameras", "import", str(DATA_CAMERAS), stdout=subprocess.DEVNULL)
    print(
        f"import: 61,768 cameras (area and density triggers included) in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    grow_seconds = grow_to(url, cameras)
    engine = create_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE area_camera_counts"))
        total, located = connection.execute(
            text("SELECT count(*), count(county_geoid) FROM cameras WHERE status = 'verified'")
        ).one()
    engine.dispose()
    print(
        f"grow: to {total:,} verified cameras ({located:,} in a county) in one INSERT, triggers "
        f"included, in {grow_seconds:.1f} s",
        flush=True,
    )


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database an earlier --keep run built, as it is"
    )
    arguments = parser.parse_args(argv)
    missing = [path for path in [DATA_CAMERAS, *DATA_AREAS] if not path.exists()]
    if missing:
        print(f"bench.coverage needs {', '.join(map(str, missing))}", file=sys.stderr)
        return 1
    rng = random.Random(11)
    database = kept_database("coverage") if arguments.reuse else scratch_database("coverage", arguments.keep)
    with database as url:
        if not arguments.reuse:
            build(url, arguments.cameras)
        engine = create_engine(url)
        counties = busy_counties(engine, 40)
        requests = arguments.requests
        with GunicornServer(url, extra_env={"RATELIMIT_ENABLED": "false"}) as server:
            client = Client(server.port)
            timed(client, "GET", "/api/v1/coverage/counties")  # warm-up: plans, connections
            _, body = timed(client, "GET", "/api/v1/coverage/counties")
            print(
                f"all counties: {len(json.loads(body)['areas']):,} areas, {len(body) / 2**20:.1f} MiB",
                flush=True,
            )
            changes = CountChanges(engine, rng)
            results = {
                "all counties, unchanged counts": measure_get(
                    client, ["/api/v1/coverage/counties"], requests, None
                ),
                "all counties, counts changed before each request": measure_get(
                    client, ["/api/v1/coverage/counties"], max(requests // 4, 20), changes
                ),
            }
            area_paths = [f"/api/v1/coverage/areas/{geoid}" for geoid in counties]
            results["one county, unchanged counts"] = measure_get(client, area_paths, requests, None)
            results["one county, counts changed before each request"] = measure_get(
                client, area_paths, max(requests // 4, 20), changes
            )
            changes.restore()
            polygons = county_polygons(engine, counties)
            for body in polygons:
                timed(client, "POST", "/api/v1/coverage/polygon", body)
            results["polygon of a busy county"] = [
                timed(client, "POST", "/api/v1/coverage/polygon", polygons[index % len(polygons)])[0]
                for index in range(requests)
            ]
            routes = [wandering_route(rng, lon, lat) for lon, lat in route_starts(engine, counties, 20)]
            cameras_along = []
            route_timings = []
            for index in range(requests):
                elapsed, data = timed(client, "POST", "/api/v1/coverage/route", routes[index % len(routes)])
                route_timings.append(elapsed)
                cameras_along.append(json.loads(data)["cameras"])
            results["100 km route, 75 m buffer"] = route_timings
            for label, timings in results.items():
                print(f"{label}: {summary(timings)} ({len(timings)} requests)", flush=True)
            print(
                f"routes: {len(routes)} routes, median {statistics.median(cameras_along):.0f} cameras along "
                f"(max {max(cameras_along)})",
                flush=True,
            )
            polygon_counts = [
                json.loads(client.request("POST", "/api/v1/coverage/polygon", body)[1])["cameras"]
                for body in polygons
            ]
            print(
                f"polygons: {len(polygons)} county boundaries, median "
                f"{statistics.median(polygon_counts):,.0f} cameras inside (max {max(polygon_counts):,})",
                flush=True,
            )
            delays = verification_delay(client, engine, counties[0])
            print(
                f"verification to figures: median {statistics.median(delays):.1f} ms, "
                f"max {max(delays):.1f} ms after the commit ({len(delays)} runs)",
                flush=True,
            )
        naive_all = statistics.median(naive(engine, NAIVE_ALL, {}, 3))
        naive_one = statistics.median(naive(engine, NAIVE_ONE, {"geoid": counties[0]}, 10))
        cold_all = statistics.median(results["all counties, counts changed before each request"])
        warm_all = statistics.median(results["all counties, unchanged counts"])
        cold_one = statistics.median(results["one county, counts changed before each request"])
        warm_one = statistics.median(results["one county, unchanged counts"])
        print(
            f"naive spatial join, all counties (SQL only): median {naive_all:,.0f} ms of 3: "
            f"{naive_all / cold_all:,.0f}x our answer with the counts changed, over HTTP, "
            f"{naive_all / warm_all:,.0f}x the kept one",
            flush=True,
        )
        print(
            f"naive spatial join, the busiest county (SQL only): median {naive_one:,.1f} ms of 10: "
            f"{naive_one / cold_one:,.1f}x our answer with the counts changed, over HTTP, "
            f"{naive_one / warm_one:,.1f}x the kept one",
            flush=True,
        )
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
