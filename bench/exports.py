"""The full CSV export at a million cameras: served from the export file, against streaming it from the
database per request (what /api/v1/cameras.csv did before the files), through HTTP against gunicorn.

    .venv/bin/python -m bench.exports [--cameras 1000000] [--runs 5] [--keep]

Builds a scratch database `sightline_bench_exports` on the local PostGIS: the 61,768 OpenStreetMap cameras of
data/ imported with `flask cameras import`, grown to --cameras verified cameras as bench.map does
(copies scattered around real ones). Then:
- `flask opendata export`: the time to write the GeoJSON, CSV and KML files, and their sizes;
- the app under gunicorn (gunicorn.conf.py) serving GET /api/v1/cameras.csv from the file, --runs times:
  seconds to read the whole answer, the serving worker's peak RSS, and the database connections in use
  meanwhile (none expected);
- the same app with one extra route, /bench/streamed.csv, that streams the CSV from the database through a
  server-side cursor as the export route did before (bench.exports:streaming_app()), --runs times;
- a slow reader (reads 64 KiB, then waits 5 s): whether it holds a database connection in each case.

The machine is shared (2 cores, other work running): medians of the runs are quoted. The database is
dropped at the end unless --keep.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.client import HTTPConnection

from sqlalchemy import create_engine, text

from bench.map import csv_export, grow_to
from bench.server import DATA_CAMERAS, GunicornServer, flask, scratch_database

STREAMED_PATH = "/bench/streamed.csv"


def streaming_app():
    """The app plus the export route as it was before the files: rows streamed from the database per
    request, through the same CSV serialiser (gunicorn loads this with `bench.exports:streaming_app()`)."""
    from flask import Response, stream_with_context

    from webapp import create_app
    from webapp.geo.public_cameras import all_citable_cameras
    from webapp.opendata.formats import csv_stream

    app = create_app()

    @app.get(STREAMED_PATH)
    def streamed_csv():
        return Response(
            stream_with_context(csv_stream(all_citable_cameras(), "streamed")), mimetype="text/csv"
        )

    return app


def download(server: GunicornServer, path: str) -> dict:
    started = time.perf_counter()
    size = 0
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=600) as response:
        while chunk := response.read(1 << 20):
            size += len(chunk)
    return {"seconds": time.perf_counter() - started, "bytes": size}


def connections_in_use(database_url: str) -> int:
    """Database connections of the app that are inside a transaction right now."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND (state = 'active' OR state LIKE 'idle in transaction%')"
            )
        ).scalar_one()
    engine.dispose()
    return count


def slow_reader_holds(server: GunicornServer, path: str, database_url: str) -> int:
    """Read 64 KiB of the answer, wait 5 s, count the database connections held meanwhile."""
    connection = HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read(64 * 1024)
    time.sleep(5)
    held = connections_in_use(database_url)
    connection.close()
    return held


def report(label: str, runs: list[dict]) -> None:
    seconds = [run["seconds"] for run in runs]
    print(
        f"{label}: {runs[0]['bytes'] / 2**20:.1f} MiB, median {statistics.median(seconds):.2f} s "
        f"(runs {', '.join(f'{value:.2f}' for value in seconds)})",
        flush=True,
    )


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    arguments = parser.parse_args(argv)
    if not DATA_CAMERAS.exists():
        print(f"bench.exports needs {DATA_CAMERAS}", file=sys.stderr)
        return 1
    # The export files of this run: written by the command below, served by the gunicorn after it.
    os.environ["EXPORT_DIR"] = tempfile.mkdtemp(prefix="sightline-bench-exports-")
    with scratch_database("exports", keep=arguments.keep) as url:
        flask(url, "cameras", "import", str(DATA_CAMERAS), stdout=subprocess.DEVNULL)
        grow_to(url, arguments.cameras)
        started = time.perf_counter()
        flask(url, "opendata", "export", stdout=subprocess.DEVNULL)
        print(
            f"flask opendata export (GeoJSON + CSV + KML): {time.perf_counter() - started:.1f} s", flush=True
        )
        files = [name for name in os.listdir(os.environ["EXPORT_DIR"]) if name.startswith("sightline-")]
        for name in sorted(files):
            path = os.path.join(os.environ["EXPORT_DIR"], name)
            print(f"  {name}: {os.path.getsize(path) / 2**20:.1f} MiB", flush=True)
        environment = {"RATELIMIT_ENABLED": "false", "EXPORT_DIR": os.environ["EXPORT_DIR"]}
        with GunicornServer(url, extra_env=environment, app="bench.exports:streaming_app()") as server:
            download(server, "/api/v1/cameras.csv")  # warm the page cache
            served = [download(server, "/api/v1/cameras.csv") for _ in range(arguments.runs)]
            report("CSV from the export file", served)
            peak = csv_export(server)
            print(
                f"  serving worker RSS {peak['baseline_rss_mib']:.0f} MiB before, "
                f"peak {peak['peak_rss_mib']:.0f} MiB",
                flush=True,
            )
            streamed = [download(server, STREAMED_PATH) for _ in range(arguments.runs)]
            report("CSV streamed from the database (as before)", streamed)
            ratio = statistics.median(r["seconds"] for r in streamed) / statistics.median(
                r["seconds"] for r in served
            )
            print(f"  streamed / file: {ratio:.0f} x", flush=True)
            print(
                "slow reader (64 KiB then 5 s), database connections busy meanwhile: "
                f"file {slow_reader_holds(server, '/api/v1/cameras.csv', url)}, "
                f"streamed {slow_reader_holds(server, STREAMED_PATH, url)}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
