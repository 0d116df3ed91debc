"""A data release of a million cameras (issue 22: at most 2 minutes and 1 GB of memory).

    .venv/bin/python -m bench.release [--cameras 1000000]

Builds a scratch database `sightline_bench_release` on the local PostGIS: the 61,768 OpenStreetMap cameras
of ../shared/data imported with `flask cameras import`, grown to --cameras verified cameras as bench.map
does (copies scattered around real ones). Then runs `flask opendata release` twice (the second release also
computes the differences against the first) in a child process each, and reports for each: wall seconds,
the peak resident memory of the largest process it ran (the flask command itself or GDAL's ogr2ogr, read
from getrusage of the children), and the size of each file. The database is dropped at the end. The machine
is shared (2 cores); quote medians of several runs when comparing.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.map import grow_to
from bench.server import BIN, PROJECT_ROOT, prepared_database

# Runs a command and prints the peak RSS (KiB) of the largest of its descendants and their CPU seconds
# (getrusage of the children: the flask process and GDAL's ogr2ogr, which it waits for; not the PostgreSQL
# server's work), so that earlier steps of the bench do not count. On a shared machine CPU seconds say more
# than wall time.
MEASURED = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(use.ru_maxrss, use.ru_utime + use.ru_stime, file=sys.stderr); "
    "sys.exit(done.returncode)"
)


def timed_release(database_url: str, export_dir: str) -> dict:
    environment = {
        **os.environ,
        "FLASK_APP": "webapp",
        "DATABASE_URL": database_url,
        "EXPORT_DIR": export_dir,
    }
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", MEASURED, str(BIN / "flask"), "opendata", "release"],
        env=environment,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    number = completed.stdout.strip().rsplit("release ", 1)[1].split()[0]
    folder = Path(export_dir) / "releases" / number
    peak_kib, cpu_seconds = completed.stderr.strip().splitlines()[-1].split()
    return {
        "number": number,
        "seconds": seconds,
        "cpu_seconds": float(cpu_seconds),
        "peak_mib": int(peak_kib) / 1024,
        "files": {path.name: path.stat().st_size for path in sorted(folder.iterdir())},
        "log": completed.stdout,
    }


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=1_000_000)
    arguments = parser.parse_args(argv)
    with prepared_database("release") as (url, dataset):
        print(f"bench: growing to {arguments.cameras:,} cameras", flush=True)
        grow_to(url, arguments.cameras)
        export_dir = tempfile.mkdtemp(prefix="sightline-bench-release-")
        for run in (1, 2):
            result = timed_release(url, export_dir)
            peak = f"{result['peak_mib']:.0f} MiB"
            print(
                f"release {result['number']} of {arguments.cameras:,} cameras ({dataset}, grown): "
                f"{result['seconds']:.1f} s wall, {result['cpu_seconds']:.1f} s of CPU (flask and ogr2ogr), "
                f"peak RSS of the largest process {peak}",
                flush=True,
            )
            for name, size in result["files"].items():
                print(f"  {name}: {size / 2**20:.1f} MiB")
            print("  " + result["log"].strip().replace("\n", "\n  "))
            if run == 1 and result["seconds"] > 120:
                print("  over the 2-minute budget", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
