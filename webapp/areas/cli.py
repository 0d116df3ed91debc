"""`flask areas ...`: load state and county boundaries with their population and road miles, and check or
rebuild the per-area camera counts."""

from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.areas.boundaries import BadBoundaryFile
from webapp.areas.builtin import BUILTIN_STATES_FILE
from webapp.areas.importer import (
    count_discrepancies,
    dataset_name,
    datasets_loaded,
    import_boundary_files,
    rebuild_counts,
)
from webapp.kernel.data.transactions import commit, rollback

cli = AppGroup("areas", help="State and county boundaries behind the coverage figures.")


@cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", help="Where the boundaries, population and road miles of these files come from.")
@click.option(
    "--if-missing",
    is_flag=True,
    help="Do nothing when every file given is loaded already (without PATHS: when any areas are).",
)
def import_command(paths: tuple[Path, ...], source: str | None, if_missing: bool) -> None:
    """Load GeoJSON boundary files of US states or counties (GEOID, name, population, roadMiles), gzipped or
    not; without PATHS, the small built-in set of states. Every camera then gets its state and county."""
    files = list(paths) or [BUILTIN_STATES_FILE]
    loaded = datasets_loaded()
    # The built-in set never replaces boundaries loaded from files.
    if if_missing and ({dataset_name(path) for path in files} <= loaded or (not paths and loaded)):
        click.echo("areas: already loaded; nothing imported")
        return
    click.echo(f"areas: loading {', '.join(dataset_name(path) for path in files)} (tens of seconds)")
    try:
        result = import_boundary_files(files, source)
    except (BadBoundaryFile, ValueError) as error:
        rollback()
        raise click.ClickException(str(error)) from error
    commit()
    summary = ", ".join(f"{count:,} {kind} areas" for kind, count in sorted(result.areas.items()))
    click.echo(
        f"areas: {summary} loaded, {result.removed:,} no longer in the files removed; "
        f"{result.cameras_reassigned:,} cameras given their state and county"
    )


@cli.command("rebuild-counts")
def rebuild_command() -> None:
    """Recompute the per-area camera counts from the cameras (camera writes wait meanwhile)."""
    rows = rebuild_counts()
    commit()
    click.echo(f"area counts rebuilt: {rows:,} rows")


@cli.command("check")
def check_command() -> None:
    """Compare the per-area counts with a fresh count; exit status 1 on any difference."""
    differences = count_discrepancies()
    for geoid, vendor, operator, source, stored, actual in differences:
        click.echo(f"area {geoid} {vendor} {operator!r} {source}: stored {stored}, actual {actual}")
    if differences:
        raise SystemExit(1)
    click.echo("area counts match the cameras")
