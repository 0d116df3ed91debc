"""Time `flask cameras import` of the shipped 61,768-camera DeFlock file into an empty database.

    .venv/bin/python -m bench.import [--runs 3] [--file PATH] [--without-triggers]

Each run gets a fresh database, migrated with `flask db upgrade` (so every trigger on `cameras` is in place),
then imports the file in-process exactly as the command does (read, parse, upsert, commit), and finally
imports it a second time (nothing changes). Prints each run and the medians. Target: first import <= 20 s.
"""

import argparse
import os
import statistics
import time
from pathlib import Path

from sqlalchemy import text

from bench.server import DATA_CAMERAS, scratch_database

TARGET_SECONDS = 20.0


def timed_import(path: Path) -> tuple[float, float, object]:
    """(seconds to read and parse, seconds for the whole import including the commit, summary)."""
    from webapp.cameras.osm_import import import_cameras
    from webapp.kernel.extensions import db

    parsed_at = None

    def on_parsed(_summary, _count):
        nonlocal parsed_at
        parsed_at = time.perf_counter()

    started = time.perf_counter()
    summary = import_cameras(path, on_parsed=on_parsed)
    db.session.commit()
    finished = time.perf_counter()
    return parsed_at - started, finished - started, summary


def run_once(path: Path, without_triggers: bool = False) -> dict:
    from webapp import create_app
    from webapp.kernel.extensions import db

    with scratch_database("import") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            if without_triggers:
                # Only to see what the density pyramid's triggers cost; the real import always runs them.
                db.session.execute(text("ALTER TABLE cameras DISABLE TRIGGER USER"))
                db.session.commit()
            triggers = db.session.scalar(
                text(
                    "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'cameras'::regclass AND NOT tgisinternal"
                    " AND tgenabled <> 'D'"
                )
            )
            parse_seconds, first_seconds, first = timed_import(path)
            _, second_seconds, second = timed_import(path)
            db.session.remove()
            db.engine.dispose()
        return {
            "parse": parse_seconds,
            "first": first_seconds,
            "second": second_seconds,
            "created": first.created,
            "unchanged_after": second.unchanged,
            "changed_after": second.created + second.updated,
            "triggers": triggers,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", type=Path, default=DATA_CAMERAS)
    parser.add_argument(
        "--without-triggers", action="store_true", help="disable the triggers on cameras, for comparison"
    )
    arguments = parser.parse_args()
    if not arguments.file.exists():
        raise SystemExit(f"bench.import: {arguments.file} is missing")
    os.environ.setdefault("RATELIMIT_ENABLED", "false")
    size = arguments.file.stat().st_size
    print(f"bench.import: {arguments.file.name} ({size:,} bytes), {arguments.runs} runs", flush=True)
    runs = []
    for number in range(1, arguments.runs + 1):
        run = run_once(arguments.file, arguments.without_triggers)
        runs.append(run)
        print(
            f"  run {number}: first import {run['first']:.2f} s (read+parse {run['parse']:.2f} s), "
            f"{run['created']:,} created; re-import {run['second']:.2f} s, {run['changed_after']} changed; "
            f"{run['triggers']} enabled user triggers on cameras",
            flush=True,
        )
    first = statistics.median(run["first"] for run in runs)
    parse = statistics.median(run["parse"] for run in runs)
    second = statistics.median(run["second"] for run in runs)
    print(f"median first import into an empty database: {first:.2f} s (read+parse {parse:.2f} s)")
    print(f"median re-import of the same file (nothing changes): {second:.2f} s")
    print(f"target <= {TARGET_SECONDS:.0f} s: {'met' if first <= TARGET_SECONDS else 'MISSED'}")
    if first > TARGET_SECONDS or any(run["changed_after"] for run in runs):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
