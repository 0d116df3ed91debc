"""`flask searches ...`: import audit log files, reclassify the stored reasons under a new rule version,
write a generated log, and load the demo log `make run` shows (`seed-demo`, webapp.searches.demo)."""

import resource
import time
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.kernel.data.transactions import commit, rollback
from webapp.kernel.errors import DomainError
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches.demo import demo_loaded, load_demo_log
from webapp.searches.importer import LogSource, find_owner, import_log_file
from webapp.searches.reclassification import reclassify
from webapp.searches.synthetic import SyntheticLog, write_network_log

cli = AppGroup("searches", help="ALPR audit logs: who searched whose cameras, and why.")


def _progress(message: str) -> None:
    click.echo(f"  {message}")


def _peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@cli.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in SearchLogKind]),
    required=True,
    help="network: searches of the agency's cameras by anyone; org: its own officers' searches.",
)
@click.option("--agency", "agency", required=True, help="The agency whose log it is: its id or exact name.")
@click.option("--title", required=True, help="The records request or document the files came from.")
@click.option("--url", default=None, help="Where the request or document is published.")
@click.option("--received", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="The day the files were received (YYYY-MM-DD).")  # fmt: skip
@click.option("--demo", is_flag=True, help="Mark the log as generated demo data.")
def import_command(files, kind, agency, title, url, received, demo) -> None:
    """Import audit log files (CSV or XLSX) into an agency's log. Each file is stored whole or not at all;
    a file already imported, or searches already stored from another file, are recognised and skipped."""
    started = time.perf_counter()
    try:
        owner = find_owner(agency)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    source = LogSource(title=title, url=url, received_on=received.date() if received else date.today())
    totals = [0, 0, 0, 0]
    failed = []
    for path in files:
        click.echo(f"{path.name}: reading")
        try:
            summary = import_log_file(path, owner=owner, kind=SearchLogKind(kind), source=source, demo=demo,
                                      progress=_progress)  # fmt: skip
            commit()
        except DomainError as error:
            rollback()
            failed.append(path.name)
            click.echo(f"{path.name}: refused, nothing imported: {error.message}", err=True)
            continue
        for line in summary.lines():
            click.echo(line)
        for index, value in enumerate((summary.rows_read, summary.stored, summary.known, summary.refused)):
            totals[index] += value
    seconds = time.perf_counter() - started
    click.echo(
        f"{len(files) - len(failed)} of {len(files)} files imported in {seconds:.1f} s: "
        f"{totals[0]:,} rows read, "
        f"{totals[1]:,} stored, {totals[2]:,} already known, {totals[3]:,} refused; "
        f"{totals[0] / seconds if seconds else 0:,.0f} rows/s; peak memory {_peak_memory_mb():,.0f} MB"
    )
    if failed:
        raise click.ClickException(f"{len(failed)} files refused: {', '.join(failed)}")


@cli.command("reclassify")
def reclassify_command() -> None:
    """Classify every stored reason under this code's rule version and rebuild the category counts."""
    started = time.perf_counter()
    result = reclassify(progress=_progress)
    commit()
    click.echo(
        f"rule version {result.version}: {result.reasons:,} distinct reasons classified, {result.logs} logs, "
        f"{result.count_rows:,} count rows rebuilt in {time.perf_counter() - started:.1f} s"
    )


@cli.command("generate")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--rows", type=click.IntRange(1), default=100_000, show_default=True)
@click.option("--months", type=click.IntRange(1, 120), default=12, show_default=True)
@click.option("--agencies", "searching_agencies", type=click.IntRange(1), default=5363, show_default=True)
@click.option("--seed", type=int, default=21, show_default=True)
def generate_command(folder: Path, rows: int, months: int, searching_agencies: int, seed: int) -> None:
    """Write a generated network log shaped like a real one (monthly CSV files) into FOLDER."""
    started = time.perf_counter()
    paths = write_network_log(
        folder, SyntheticLog(rows=rows, months=months, searching_agencies=searching_agencies, seed=seed)
    )
    click.echo(
        f"{len(paths)} files, {rows:,} searches written to {folder} in {time.perf_counter() - started:.1f} s"
    )


@cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when a demo log is loaded already.")
def seed_demo_command(if_empty: bool) -> None:
    """Load a small generated network log, marked demo wherever it is shown."""
    if if_empty and demo_loaded():
        click.echo("searches: a demo log is loaded already; nothing done")
        return
    stored = load_demo_log(progress=lambda message: click.echo(f"  {message}"))
    commit()
    click.echo(f"searches: demo network log loaded ({stored:,} generated searches, marked demo)")
