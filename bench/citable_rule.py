"""The hot queries that read the citable rule, written out (`status = 'verified' AND NOT demo`, as before
migration 0019) and as the SQL function call (`camera_citable(status, demo)`): their plans and warm timings on
the database of `make run` (the 61,768 OpenStreetMap cameras of data/, agencies linked).

    SIGHTLINE_PG_PORT=... .venv/bin/python -m bench.citable_rule [--rounds 200] [--plans]

Each query runs --rounds times per spelling, the two spellings interleaved, after a warm-up; the median and
p90 of the server's own execution time (EXPLAIN ANALYZE, so no network or driver in it) are printed. With
--plans the plan of each is printed too. Read-only; the rule's function is used only when it exists (after
migration 0019), so the same command measures a database before it (the written-out rule alone).
"""

import argparse
import json
import os
import statistics
import subprocess

from sqlalchemy import create_engine, text

# A 1 x 0.5 degree view over Chicago (the map's exact count), a drawn polygon over Atlanta (coverage), and
# the ten agencies with the most cameras (the agencies' pages).
BOX = "ST_MakeEnvelope(-88.0, 41.6, -87.0, 42.1, 4326)"
SHAPE = "ST_GeomFromText('POLYGON((-84.6 33.6,-84.2 33.6,-84.2 33.95,-84.6 33.95,-84.6 33.6))', 4326)"
TOP_AGENCIES = (
    "SELECT coalesce(array_agg(agency_id), '{}')::text FROM (SELECT agency_id FROM cameras "
    "WHERE agency_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 10) AS t"
)

# Each query with its {rule}, {box}, {shape} and {agencies} filled in by str.format: the benchmark's own text.
QUERIES = {
    "count in view (exact, Chicago)": "SELECT count(*) FROM cameras WHERE {rule} AND geom && {box}",
    "counts in view by vendor/operator": (
        "SELECT vendor, operator, agency_id, count(*) FROM cameras WHERE {rule} AND geom && {box} "
        "GROUP BY 1, 2, 3"
    ),
    "drawn polygon (coverage)": (
        "SELECT vendor, operator, agency_id, source, count(*) FROM cameras "
        "WHERE {rule} AND ST_Intersects(geom, {shape}) GROUP BY 1, 2, 3, 4"
    ),
    "export (every citable camera)": (
        "SELECT id, ST_Y(geom), ST_X(geom), vendor, operator FROM cameras WHERE {rule} ORDER BY id"
    ),
    "agencies' cameras (partial index)": (
        "SELECT agency_id, count(*) FROM cameras WHERE agency_id = ANY('{agencies}'::bigint[]) "
        "AND agency_id IS NOT NULL AND {rule} GROUP BY agency_id"
    ),
}
RULES = {"written out": "status = 'verified' AND NOT demo", "function": "camera_citable(status, demo)"}


def database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    return subprocess.run(["scripts/pg", "url"], check=True, capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    engine = create_engine(database_url())
    with engine.connect() as connection:
        has_function = connection.scalar(
            text("SELECT count(*) FROM pg_proc WHERE proname = 'camera_citable'")
        )
        rules = RULES if has_function else {"written out": RULES["written out"]}
        cameras = connection.scalar(text("SELECT count(*) FROM cameras"))
        print(f"cameras: {cameras:,}")
        agencies = connection.scalar(text(TOP_AGENCIES))
        for name, query in QUERIES.items():
            times = {spelling: [] for spelling in rules}
            for round_ in range(args.rounds + 5):
                for spelling, rule in rules.items():
                    plan = connection.scalar(
                        text(
                            "EXPLAIN (ANALYZE, FORMAT JSON) "
                            + query.format(rule=rule, agencies=agencies, box=BOX, shape=SHAPE)
                        )
                    )
                    plan = plan if isinstance(plan, list) else json.loads(plan)
                    if round_ >= 5:  # warm-up rounds are not counted
                        times[spelling].append(plan[0]["Execution Time"])
            print(f"\n{name}")
            for spelling, values in times.items():
                values.sort()
                p90 = values[int(len(values) * 0.9) - 1]
                print(f"  {spelling:12} median {statistics.median(values):7.2f} ms   p90 {p90:7.2f} ms")
                if args.plans:
                    plan = connection.execute(
                        text(
                            "EXPLAIN "
                            + query.format(rule=rules[spelling], agencies=agencies, box=BOX, shape=SHAPE)
                        )
                    ).scalars()
                    print("    " + "\n    ".join(plan))


if __name__ == "__main__":
    main()
