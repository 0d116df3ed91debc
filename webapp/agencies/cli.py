"""`flask agencies ...`: import published agency and sharing data, link operator texts to agencies, and check
or rebuild the agencies' map cells."""

import time
from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.agencies.importing.importer import data_source_loaded, import_agency_files
from webapp.agencies.importing.source_files import BadAgencyFiles
from webapp.agencies.matching.operator_matching import match_operators
from webapp.agencies.moderation.agency_marks import mark_agencies
from webapp.agencies.public.camera_sets import cell_discrepancies, rebuild_cells
from webapp.kernel.data.transactions import commit, rollback

cli = AppGroup("agencies", help="Agencies, who they share ALPR data with, and the agency behind each camera.")


def _progress(message: str) -> None:
    click.echo(f"  {message}")


@cli.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--if-missing", is_flag=True, help="Do nothing when this data set was imported already.")
def import_command(folder: Path, if_missing: bool) -> None:
    """Import a folder of The News & Observer's agency files (agency*.csv, agency_access*.csv,
    agency_policies.csv, latest_usage*.csv) or a newer scrape with the same columns. A second run of the
    same files changes nothing."""
    if if_missing and data_source_loaded():
        click.echo("agencies: already imported; nothing done")
        return
    started = time.perf_counter()
    try:
        summary = import_agency_files(folder, progress=_progress)
    except BadAgencyFiles as error:
        rollback()
        raise click.ClickException(str(error)) from error
    marked = mark_agencies()
    commit()
    click.echo(f"agencies imported from {folder} in {time.perf_counter() - started:.1f} s")
    for line in summary.lines():
        click.echo(f"  {line}")
    click.echo(f"  {marked.line()}")


@cli.command("match")
def match_command() -> None:
    """Link every distinct operator text on cameras to its agency: confident matches link, plausible ones
    wait in the moderators' queue, the rest stay unmatched. Moderators' decisions are kept. Agencies with no
    state are given the one their name or their linked cameras say, and portals' test accounts are marked
    (webapp.agencies.moderation.agency_marks), before and after: a state found helps the matcher."""
    started = time.perf_counter()
    before = mark_agencies()
    summary = match_operators(progress=_progress)
    after = mark_agencies()
    commit()
    click.echo(f"operator texts matched in {time.perf_counter() - started:.1f} s")
    for line in summary.lines():
        click.echo(f"  {line}")
    click.echo(f"  {before.line()}")
    click.echo(f"  then {after.line()}")


@cli.command("rebuild-cells")
def rebuild_cells_command() -> None:
    """Recompute the agencies' map cells (citable cameras per agency, vendor and 0.1 degree cell) from the
    cameras (camera writes wait meanwhile)."""
    cells = rebuild_cells()
    commit()
    click.echo(f"agency map cells rebuilt: {cells:,} cells")


@cli.command("check-cells")
def check_cells_command() -> None:
    """Compare the agencies' map cells with what a rebuild computes; exit status 1 on any difference."""
    differences = cell_discrepancies()
    for agency_id, vendor, cell_x, cell_y, kept, rebuilt in differences:
        click.echo(f"agency {agency_id} {vendor} cell {cell_x},{cell_y}: kept {kept}, rebuilt {rebuilt}")
    if differences:
        raise SystemExit(1)
    click.echo("agency map cells match the cameras")
