"""Agency pages and "cameras that feed a receiver" on the full News & Observer data and a million cameras,
measured through HTTP against gunicorn as in production.

    .venv/bin/python -m bench.agency_pages [--cameras 1000000] [--requests 200] [--keep]

Builds a scratch database `sightline_bench_agency_pages`, imports the 61,768 OpenStreetMap cameras (`flask
cameras import`) and The News & Observer's files (`flask agencies import`: 5,152 agencies, 37,099 sharing
pairs), grows the cameras to --cameras as bench.map does, then links them to agencies the way production
does: every camera gets a real agency name as its operator text (60 % among the 224 agencies whose portals
list whom they share with, the rest among all agencies, deterministic by camera id), and one `operator_links`
row per name links it, so the database's trigger sets `cameras.agency_id` (no column is set by hand).
Then, each --requests times over one keep-alive connection:
- an agency page (`GET /agencies/<id>`), for the agencies with the most cameras and random ones;
- the same agency as JSON (`GET /api/v1/agencies/<id>`);
- for the receiver with the most sources: its "cameras that feed it" page, its JSON answer, its map (drawn
  from counts past 3,000 cameras) and the first GeoJSON page of its cameras.
Medians and p95; the machine is shared (2 cores).
"""

import argparse
import random
import statistics
import subprocess
import sys
import time
from http.client import HTTPConnection

from sqlalchemy import create_engine, text

from bench.map import grow_to, percentile
from bench.server import DATA_AGENCIES, DATA_CAMERAS, GunicornServer, flask, scratch_database

SOURCE_SHARE = 0.6

LINK_CAMERAS = """
WITH sources AS (
    SELECT row_number() OVER (ORDER BY id) - 1 AS n, name FROM agencies
    WHERE id IN (SELECT from_agency_id FROM agency_sharing)
), everyone AS (
    SELECT row_number() OVER (ORDER BY id) - 1 AS n, name FROM agencies
), counts AS (SELECT (SELECT count(*) FROM sources) AS s, (SELECT count(*) FROM everyone) AS e)
UPDATE cameras AS c SET operator = CASE
    WHEN (c.id * 7919) % 100 < :source_percent
        THEN (SELECT name FROM sources WHERE n = (c.id * 104729) % counts.s)
    ELSE (SELECT name FROM everyone WHERE n = (c.id * 15485863) % counts.e) END
FROM counts
"""
LINK_OPERATORS = """
INSERT INTO operator_links (operator_key, operator, state, agency_id, score)
SELECT DISTINCT ON (lower(btrim(a.name))) lower(btrim(a.name)), a.name, 'linked', a.id, 100
FROM agencies AS a ORDER BY lower(btrim(a.name)), a.id
ON CONFLICT DO NOTHING
"""


class Client:
    def __init__(self, port: int):
        self.connection = HTTPConnection("127.0.0.1", port, timeout=120)

    def timed(self, path: str) -> tuple[float, bytes]:
        started = time.perf_counter()
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status == 200, (path, response.status, data[:300])
        return elapsed, data


def summary(timings: list[float]) -> str:
    return f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms"


def link_cameras(url: str) -> float:
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text(LINK_CAMERAS), {"source_percent": int(SOURCE_SHARE * 100)})
        connection.execute(text(LINK_OPERATORS))
    seconds = time.perf_counter() - started
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE cameras"))
        connection.execute(text("VACUUM ANALYZE agency_sharing"))
    engine.dispose()
    return seconds


def measure(client: Client, paths: list[str], requests: int) -> list[float]:
    for path in paths[:5]:
        client.timed(path)  # warm-up: plans, connections, caches
    return [client.timed(paths[index % len(paths)])[0] for index in range(requests)]


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    arguments = parser.parse_args(argv)
    missing = [path for path in (DATA_CAMERAS, DATA_AGENCIES) if not path.exists()]
    if missing:
        print(f"bench.agency_pages needs {', '.join(map(str, missing))}", file=sys.stderr)
        return 1
    rng = random.Random(7)
    with scratch_database("agency_pages", keep=arguments.keep) as url:
        flask(url, "cameras", "import", str(DATA_CAMERAS), stdout=subprocess.DEVNULL)
        started = time.perf_counter()
        flask(url, "agencies", "import", str(DATA_AGENCIES), stdout=subprocess.DEVNULL)
        print(f"agencies import: {time.perf_counter() - started:.1f} s", flush=True)
        grow_seconds = grow_to(url, arguments.cameras)
        link_seconds = link_cameras(url)
        engine = create_engine(url)
        with engine.connect() as connection:
            total, linked = connection.execute(
                text("SELECT count(*), count(agency_id) FROM cameras WHERE status = 'verified'")
            ).one()
            busiest = list(
                connection.execute(
                    text(
                        "SELECT agency_id FROM cameras WHERE agency_id IS NOT NULL "
                        "GROUP BY agency_id ORDER BY count(*) DESC LIMIT 20"
                    )
                ).scalars()
            )
            most_cameras = connection.execute(
                text(f"SELECT count(*) FROM cameras WHERE agency_id = {busiest[0]}")  # noqa: S608 (a benchmark's own constants)
            ).scalar_one()
            all_ids = list(connection.execute(text("SELECT id FROM agencies")).scalars())
            receiver, receiver_name, sources = connection.execute(
                text(
                    "SELECT a.id, a.name, count(DISTINCT s.from_agency_id) FROM agency_sharing AS s "
                    "JOIN agencies AS a ON a.id = s.to_agency_id WHERE s.retired_on IS NULL "
                    "GROUP BY a.id ORDER BY 3 DESC LIMIT 1"
                )
            ).one()
            feeding = connection.execute(
                text(
                    "SELECT count(*) FROM cameras WHERE status = 'verified' AND NOT demo AND agency_id IN "
                    "(SELECT from_agency_id FROM agency_sharing "
                    "WHERE to_agency_id = :r AND retired_on IS NULL)"
                ),
                {"r": receiver},
            ).scalar_one()
        print(
            f"cameras: {total:,} verified, {linked:,} under an agency (grown in {grow_seconds:.1f} s, "
            f"operators and links in {link_seconds:.1f} s); the busiest agency runs {most_cameras:,}",
            flush=True,
        )
        print(
            f"receiver with the most sources: {receiver_name} ({sources} sources, "
            f"{feeding:,} cameras feed it)",
            flush=True,
        )
        requests = arguments.requests
        agencies = busiest + rng.sample(all_ids, 20)
        with GunicornServer(url, extra_env={"RATELIMIT_ENABLED": "false"}) as server:
            client = Client(server.port)
            results = {
                "agency page (GET /agencies/<id>)": measure(
                    client, [f"/agencies/{a}" for a in agencies], requests
                ),
                "agency JSON (GET /api/v1/agencies/<id>)": measure(
                    client, [f"/api/v1/agencies/{a}" for a in agencies], requests
                ),
                "feeding cameras page": measure(client, [f"/agencies/{receiver}/feeding-cameras"], requests),
                "feeding cameras JSON": measure(
                    client, [f"/api/v1/agencies/{receiver}/feeding-cameras"], requests
                ),
                "feeding cameras map (counts per cell)": measure(
                    client, [f"/api/v1/agencies/{receiver}/feeding-cameras/map"], requests
                ),
                "feeding cameras GeoJSON, first page of 5,000": measure(
                    client, [f"/api/v1/agencies/{receiver}/feeding-cameras.geojson"], max(requests // 4, 20)
                ),
                "network around the receiver, 2 hops, 60 nodes": measure(
                    client, [f"/api/v1/agencies/network?agency={receiver}&hops=2"], requests
                ),
            }
            for label, timings in results.items():
                print(f"{label}: {summary(timings)} ({len(timings)} requests)", flush=True)
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
