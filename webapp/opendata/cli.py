"""`flask opendata export`: write the full export files when the cameras changed (once, or every N s)."""

import time

import click
from flask.cli import AppGroup

from webapp.kernel.data.transactions import rollback
from webapp.opendata.export_files import EXPORT_SETS, ExportSet, export_folder, write_exports

cli = AppGroup("opendata", help="The open-data export files.")


def _export_once(force: bool) -> None:
    for export_set in EXPORT_SETS.values():
        _export_set_once(export_set, force)


def _export_set_once(export_set: ExportSet, force: bool) -> None:
    started = time.perf_counter()
    try:
        manifest = write_exports(force=force, export_set=export_set)
    finally:
        rollback()  # read only; ends the transaction so that the next run sees newer rows
    if manifest is None:
        click.echo(f"exports: the {export_set.name} have not changed; nothing written")
        return
    sizes = ", ".join(f"{name} {entry['bytes'] / 2**20:.1f} MiB" for name, entry in manifest["files"].items())
    seconds = time.perf_counter() - started
    folder = export_folder(export_set)
    click.echo(f"exports of {manifest['data_date']} written to {folder} in {seconds:.1f} s: {sizes}")


@cli.command("export")
@click.option("--force", is_flag=True, help="Write the files even if the cameras have not changed.")
@click.option(
    "--every",
    type=click.IntRange(min=1),
    default=None,
    help="Keep running and check for changes every this many seconds.",
)
def export_command(force: bool, every: int | None):
    """Write the exports whose data changed: every citable camera (GeoJSON, CSV, KML) and every other
    registered set (agencies and their sharing relations)."""
    _export_once(force)
    while every:
        time.sleep(every)
        try:
            _export_once(False)
        except Exception as error:  # the database restarting, a full disk: try again at the next round
            click.echo(f"exports: not written this time ({type(error).__name__}); trying again", err=True)
