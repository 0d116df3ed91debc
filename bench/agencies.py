"""The agency import and the operator matcher on the real data.

    .venv/bin/python -m bench.agencies [--runs 3] [--keep]

Builds a scratch database `sightline_bench_agencies`, loads the US states of data/ (the cameras'
state is what the matcher restricts candidates by) and the 61,768 OpenStreetMap cameras, then:
- `flask agencies import data/news-observer-private-eyes` --runs times on empty agency tables
  (the first import), and --runs times again on top of itself (the idempotent re-import: nothing written);
- `flask agencies match` --runs times with no operator links yet (every text decided and written), printing
  what it linked, queued and left.
Times are wall-clock of the command as run (Python start-up included) and the command's own figure.
"""

import argparse
import re
import statistics
import subprocess
import sys
import time

from sqlalchemy import create_engine, text

from bench.server import DATA_AGENCIES, DATA_CAMERAS, DATA_STATES, flask, scratch_database

# In the order their foreign keys allow (cameras.agency_id is set NULL by its foreign key).
AGENCY_TABLES = (
    "operator_links",
    "agency_policies",
    "agency_portal_figures",
    "agency_sharing",
    "agency_aliases",
    "agencies",
)


def timed_command(url: str, *arguments: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = flask(url, *arguments, capture_output=True, text=True)
    return time.perf_counter() - started, result.stdout


def own_seconds(output: str) -> float:
    match = re.search(r" in ([0-9.]+) s", output)
    return float(match.group(1)) if match else float("nan")


def emptied(url: str, tables: tuple[str, ...]) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in tables:
            connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 (a benchmark's own constants)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    for path in (DATA_STATES, DATA_CAMERAS, DATA_AGENCIES):
        if not path.exists():
            sys.exit(f"bench: {path} is missing")
    with scratch_database("agencies", keep=options.keep) as url:
        print("bench: loading states and cameras", flush=True)
        flask(url, "areas", "import", str(DATA_STATES), stdout=subprocess.DEVNULL)
        flask(url, "cameras", "import", str(DATA_CAMERAS), stdout=subprocess.DEVNULL)

        first, again, output = [], [], ""
        for _run in range(options.runs):
            emptied(url, AGENCY_TABLES)
            seconds, output = timed_command(url, "agencies", "import", str(DATA_AGENCIES))
            first.append((seconds, own_seconds(output)))
        print(output, flush=True)
        for _run in range(options.runs):
            seconds, again_output = timed_command(url, "agencies", "import", str(DATA_AGENCIES))
            again.append((seconds, own_seconds(again_output)))
        print(again_output, flush=True)

        matches, match_output = [], ""
        for _run in range(options.runs):
            emptied(url, ("operator_links",))
            seconds, match_output = timed_command(url, "agencies", "match")
            matches.append((seconds, own_seconds(match_output)))
        print(match_output)

        def line(name: str, runs: list[tuple[float, float]]) -> str:
            wall = statistics.median(run[0] for run in runs)
            own = statistics.median(run[1] for run in runs)
            return f"{name}: median {wall:.1f} s wall ({own:.1f} s in the command) over {len(runs)} runs"

        print(line("import, first", first))
        print(line("import, again (nothing changes)", again))
        print(line("match, every operator text", matches))


if __name__ == "__main__":
    main()
