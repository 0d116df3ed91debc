"""Searches (issue 21) at scale: a generated network log imported with `flask searches import`, every answer
measured through HTTP against gunicorn, and a naive pandas read of the same files beside it.

    .venv/bin/python -m bench.searches [--rows 1000000] [--months 32] [--agencies 5363] [--requests 60]
                                       [--pandas-max 4000000] [--keep] [--reuse]
    make bench-searches ROWS=17000000

In a scratch database `sightline_bench_searches`:
1. `flask searches generate` writes the log (webapp.searches.synthetic: --rows searches over --months monthly
   CSV files, --agencies searching agencies with Zipf-like volume, about 2 % immigration-related reasons);
2. an owner agency (TX) is created with a policy that prohibits immigration enforcement and a sharing list;
   `flask searches import` reads every file into its network log: wall time, the importer's peak memory
   (GNU time's maximum resident set of the command; PostgreSQL's own processes are not in it) and the disk the
   searches' tables and indexes take afterwards;
3. the 300 busiest searcher names are linked to agencies (half of them in other states, some federal, half on
   the owner's sharing list), as the matcher or a moderator would, so relations and the sharing question
   have something to say;
4. each answer is requested --requests times over one keep-alive connection (after warm-up): median and p95;
5. EXPLAIN (ANALYZE, BUFFERS) of every statement the main answers run, written to
   instance/bench-searches-plans-<rows>.txt;
6. when --rows <= --pandas-max: `pandas.read_csv` of the same files and a groupby per searcher, reason and
   month, in a process of its own: time and peak memory.
With --reuse, steps 4 and 5 (and the disk) again on the database a --keep run left.
The machine is shared (2 cores): say what else ran when quoting the figures. Sizes are MiB (2^20 bytes).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.agency_pages import Client
from bench.map import percentile
from bench.server import BIN, PROJECT_ROOT, GunicornServer, flask, kept_database, scratch_database

OWNER = "Bench City Police Department"
SEARCH_TABLES = (
    "searches",
    "search_counts",
    "search_month_counts",
    "search_searcher_counts",
    "search_searcher_months",
    "search_reasons",
    "search_reason_classes",
    "search_searchers",
    "search_types",
    "search_log_files",
    "search_logs",
)

SETUP = """
INSERT INTO data_sources (key, title, publisher, licence, attribution)
VALUES ('bench', 'Bench data', 'bench.searches', 'CC0-1.0', 'generated') ON CONFLICT DO NOTHING;
INSERT INTO agencies (name, kind, state) VALUES (:owner, 'police', 'TX');
INSERT INTO agency_policies (agency_id, data_source_id, accessed_on, prohibited_uses,
                             prohibits_immigration_enforcement)
SELECT id, (SELECT id FROM data_sources WHERE key = 'bench'), DATE '2025-01-01',
       'Immigration enforcement', true FROM agencies WHERE name = :owner;
"""

# The 300 busiest searcher names become agencies: every third out of state, every tenth federal; the
# first half is on the owner's sharing list. Linked through operator_links as a moderator's decision is.
LINK_SEARCHERS = """
WITH busiest AS (
    SELECT s.id, s.name, s.name_key, row_number() OVER (ORDER BY sum(c.searches) DESC, s.id) AS rank
    FROM search_searcher_counts AS c JOIN search_searchers AS s ON s.id = c.searcher_id
    GROUP BY s.id ORDER BY sum(c.searches) DESC, s.id LIMIT 300
), made AS (
    INSERT INTO agencies (name, kind, state)
    SELECT name, CASE WHEN rank % 10 = 0 THEN 'federal' ELSE 'police' END,
           CASE WHEN rank % 10 = 0 THEN NULL WHEN rank % 3 = 0 THEN 'OK' ELSE 'TX' END
    FROM busiest RETURNING id, name
), linked AS (
    INSERT INTO operator_links (operator_key, operator, state, agency_id, score)
    SELECT b.name_key, b.name, 'linked', m.id, 100 FROM busiest AS b JOIN made AS m ON m.name = b.name
    ON CONFLICT (operator_key, state_geoid) DO UPDATE SET state = 'linked', agency_id = EXCLUDED.agency_id,
        candidates = NULL
    RETURNING agency_id
)
INSERT INTO agency_sharing (from_agency_id, to_agency_id, data_source_id, source, seen_on, recorded_by)
SELECT (SELECT id FROM agencies WHERE name = :owner), m.id, (SELECT id FROM data_sources WHERE key = 'bench'),
       'bench', DATE '2025-01-01', 'import'
FROM made AS m JOIN busiest AS b ON b.name = m.name WHERE b.rank <= 150
"""

PANDAS_SCRIPT = r"""
import glob, json, resource, sys, time
import pandas as pd
started = time.perf_counter()
frames = [pd.read_csv(path) for path in sorted(glob.glob(sys.argv[1] + "/*.csv"))]
log = pd.concat(frames, ignore_index=True)
log["month"] = pd.to_datetime(log["Search Time"], format="%m/%d/%Y, %I:%M:%S %p UTC").dt.to_period("M")
by_searcher = log.groupby("Org Name").size()
by_reason = log.groupby("Reason", dropna=False).size()
by_month = log.groupby("month").size()
by_searcher_reason = log.groupby(["Org Name", "Reason"], dropna=False).size()
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "rows": len(log), "searchers": len(by_searcher),
                  "reasons": len(by_reason), "months": len(by_month), "pairs": len(by_searcher_reason),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "version": pd.__version__}))
"""


def summary(timings: list[float]) -> str:
    return f"median {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms"


def timed_import(url: str, files: list[Path]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (MB) of the command, and its
    output."""
    started = time.perf_counter()
    result = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "maxrss_kb=%M cpu_s=%U+%S",
            BIN / "flask",
            "searches",
            "import",
            *map(str, files),
            "--kind",
            "network",
            "--agency",
            OWNER,
            "--title",
            "bench.searches: generated network log",
            "--received",
            "2026-01-15",
        ],  # fmt: skip
        env={**os.environ, "FLASK_APP": "webapp", "DATABASE_URL": url},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"bench: the import failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    measured = re.search(r"maxrss_kb=(\d+) cpu_s=([\d.]+)\+([\d.]+)", result.stderr)
    cpu = float(measured.group(2)) + float(measured.group(3))
    return seconds, cpu, int(measured.group(1)) / 1024, result.stdout


def disk_megabytes(connection) -> dict[str, float]:
    sizes = {}
    for table in SEARCH_TABLES:
        size = connection.execute(text(f"SELECT pg_total_relation_size('{table}')")).scalar_one()
        sizes[table] = size / 1024 / 1024
    return sizes


def pandas_side(folder: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PANDAS_SCRIPT, str(folder)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def answer_paths(owner: int, searcher: int, small_searcher: int, month: str) -> dict[str, str]:
    base = f"/api/v1/agencies/{owner}/searched-by"
    six_months_on = (
        f"{month[:4]}-{int(month[5:]) + 5:02d}"
        if int(month[5:]) <= 7
        else f"{int(month[:4]) + 1}-{int(month[5:]) - 7:02d}"
    )
    return {
        "searched-by JSON, no filter": base,
        "searched-by JSON, category=immigration": f"{base}?category=immigration",
        "searched-by JSON, one searcher (the busiest)": f"{base}?searcher={searcher}",
        "searched-by JSON, one searcher (a small one)": f"{base}?searcher={small_searcher}",
        "searched-by JSON, a period of 6 months": f"{base}?from={month}&to={six_months_on}",
        "searched-by CSV (every searcher)": f"{base}.csv",
        "searched-by page": f"/searches/agencies/{owner}/searched-by",
        "rows behind a figure: all, first page": f"{base}/rows",
        "rows behind a figure: immigration": f"{base}/rows?category=immigration",
        "rows behind a figure: a small searcher": f"{base}/rows?searcher={small_searcher}",
        "rows behind a figure: out of state, one month": f"{base}/rows?relation=out_of_state&from={month}"
        f"&to={month}",
        "across logs: immigration searchers": "/api/v1/searches/immigration",
        "across logs: out-of-state searchers of TX": "/api/v1/searches/out-of-state?state=TX",
        "policy against practice": "/api/v1/searches/policy-vs-practice",
        "searchers not on the sharing list": "/api/v1/searches/unlisted-searchers",
        "/searches page": "/searches",
    }


def explain_plans(url: str, paths: dict[str, str], out: Path) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement each answer runs (captured from SQLAlchemy)."""
    from sqlalchemy import event

    os.environ["DATABASE_URL"] = url
    from webapp import create_app
    from webapp.kernel.extensions import db

    app = create_app({"RATELIMIT_ENABLED": False})
    captured: list[tuple[str, object]] = []
    with out.open("w") as report, app.app_context():
        engine = db.engine

        def capture(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                captured.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", capture)
        client = app.test_client()
        for label, path in paths.items():
            captured.clear()
            client.get(path)
            statements = list(captured)
            report.write(f"\n===== {label}: GET {path}\n")
            with engine.connect() as connection:
                event.remove(engine, "before_cursor_execute", capture)
                for statement, parameters in statements:
                    plan = connection.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters
                    ).scalars()
                    report.write("\n-- " + " ".join(statement.split())[:400] + "\n")
                    report.write("\n".join(plan) + "\n")
                event.listen(engine, "before_cursor_execute", capture)
        event.remove(engine, "before_cursor_execute", capture)


def build_log(url: str, folder: Path, options) -> None:
    """Generate (unless --files) and import the log, link its busiest searchers, VACUUM ANALYZE."""
    started = time.perf_counter()
    if not options.files:
        flask(url, "searches", "generate", str(folder), "--rows", str(options.rows), "--months",
              str(options.months), "--agencies", str(options.agencies),
              stdout=subprocess.DEVNULL)  # fmt: skip
    files = sorted(folder.glob("*.csv"))
    csv_mb = sum(path.stat().st_size for path in files) / 1024 / 1024
    print(f"generated {len(files)} files, {csv_mb:,.0f} MB of CSV in {time.perf_counter() - started:.0f} s")
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in SETUP.strip().split(";\n"):
            connection.execute(text(statement), {"owner": OWNER})
    seconds, cpu, peak_mb, output = timed_import(url, files)
    print(output.strip().splitlines()[-1])
    print(
        f"import: {seconds:.1f} s wall, {cpu:.1f} s CPU of the command (PostgreSQL's not included), "
        f"{options.rows / seconds:,.0f} rows/s, peak memory {peak_mb:,.0f} MB; load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    with engine.begin() as connection:
        connection.execute(text(LINK_SEARCHERS), {"owner": OWNER})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def measure_answers(url: str, options) -> None:
    """The disk the searches take, the rollups' rows, every answer over HTTP, the plans."""
    engine = create_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        sizes = disk_megabytes(connection)
        owner = connection.execute(text("SELECT id FROM agencies WHERE name = :n"), {"n": OWNER}).scalar_one()
        searchers = list(
            connection.execute(
                text("SELECT searcher_id FROM search_searcher_counts GROUP BY 1 ORDER BY sum(searches) DESC")
            ).scalars()
        )
        month = connection.execute(
            text("SELECT min(month) + interval '6 months' FROM search_month_counts")
        ).scalar_one()
        counts = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608 (a benchmark's own constants)
            for table in (
                "search_counts",
                "search_month_counts",
                "search_searcher_counts",
                "search_reasons",
            )
        }
    print(
        f"disk: {sum(sizes.values()):,.0f} MiB in all; "
        + ", ".join(f"{t} {mb:,.0f} MiB" for t, mb in sizes.items() if mb >= 1)
    )
    print("rollup rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    paths = answer_paths(owner, searchers[0], searchers[len(searchers) // 2], month.strftime("%Y-%m"))
    # Two workers: five would take over a minute to start on this loaded 2-core machine.
    server_env = {"RATELIMIT_ENABLED": "false", "WEB_CONCURRENCY": "2"}
    with GunicornServer(url, extra_env=server_env) as server:
        client = Client(server.port)
        for label, path in paths.items():
            for _warm in range(3):
                client.timed(path)
            timings = [client.timed(path)[0] for _ in range(options.requests)]
            print(f"{label}: {summary(timings)} ({options.requests} requests)", flush=True)
    plans = PROJECT_ROOT / "instance" / f"bench-searches-plans-{options.rows}.txt"
    explain_plans(url, paths, plans)
    print(f"query plans: {plans}")
    engine.dispose()


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=32)
    parser.add_argument("--agencies", type=int, default=5363)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--pandas-max", type=int, default=4_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the disk and the answers again on the database a --keep run left (no generation, no "
        "import; --rows only names the plans file)",
    )
    parser.add_argument(
        "--files",
        type=Path,
        help="read the CSV files an earlier `flask searches generate` with the same options wrote there "
        "instead of generating them again",
    )
    options = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(
        f"bench.searches: {options.rows:,} searches, {options.months} months, {options.agencies:,} searchers"
    )
    if options.reuse:
        with kept_database("searches") as url:
            measure_answers(url, options)
        return 0
    with tempfile.TemporaryDirectory(prefix="sightline-bench-searches-") as folder_name:
        folder = options.files or Path(folder_name)
        with scratch_database("searches", keep=options.keep) as url:
            build_log(url, folder, options)
            measure_answers(url, options)
        if options.rows <= options.pandas_max:
            result = pandas_side(folder)
            print(
                f"pandas {result['version']} read_csv + groupby of the same files: "
                f"{result['seconds']:.1f} s wall, {result['cpu']:.1f} s CPU, "
                f"peak memory {result['peak_mb']:,.0f} MB ({result['rows']:,} rows, "
                f"{result['searchers']:,} searchers, {result['reasons']:,} reasons, "
                f"{result['pairs']:,} searcher x reason pairs)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
