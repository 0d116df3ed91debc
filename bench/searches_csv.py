"""The CSV of every searcher (issue 21's slowest answer) timed in-process, on the database a run of
`bench.searches --keep` left: wall time, and the CPU time of the request's own thread (the Python side; the
database's work is not in it), which a busy machine disturbs far less than the wall time.

    .venv/bin/python -m bench.searches_csv [--requests 30]

Flask's test client, no HTTP and no gunicorn: the bench's own figures (bench.searches) go through both.
"""

import argparse
import os
import statistics
import sys
import time

from sqlalchemy import create_engine, text

from bench.map import percentile
from bench.searches import OWNER
from bench.server import kept_database


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    options = parser.parse_args(argv)
    with kept_database("searches") as url:
        engine = create_engine(url)
        with engine.connect() as connection:
            owner = connection.execute(
                text("SELECT id FROM agencies WHERE name = :n"), {"n": OWNER}
            ).scalar_one()
        engine.dispose()
        os.environ["DATABASE_URL"] = url
        from webapp import create_app

        app = create_app({"RATELIMIT_ENABLED": False})
        path = f"/api/v1/agencies/{owner}/searched-by.csv"
        with app.app_context():
            client = app.test_client()
            for _warm in range(3):
                client.get(path)
            walls, cpus = [], []
            for _ in range(options.requests):
                wall, cpu = time.perf_counter(), time.thread_time()
                body = client.get(path).data
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.thread_time() - cpu) * 1000)
    print(
        f"{path}: {len(body):,} bytes; wall median {statistics.median(walls):.1f} ms, p95 "
        f"{percentile(walls, 0.95):.1f} ms, min {min(walls):.1f} ms; CPU of the request's thread median "
        f"{statistics.median(cpus):.1f} ms ({options.requests} requests; load average "
        f"{os.getloadavg()[0]:.1f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
