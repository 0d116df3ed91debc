"""`flask cameras ...`: import OpenStreetMap cameras from a file, seed demo cameras into an empty database."""

from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.cameras.demo_seed import DEFAULT_COUNT, DEFAULT_SEED, any_cameras, seed_demo_cameras
from webapp.cameras.osm_files import SKIP_REASONS, ImportSummary, UnknownFileFormat
from webapp.cameras.osm_import import import_cameras
from webapp.kernel.transactions import commit, rollback

cli = AppGroup("cameras", help="Import and seed cameras.")


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Import ALPR cameras from Overpass API JSON or a DeFlock camera array (gzipped or not).

    Cameras are keyed by OSM type and id: importing again updates them instead of adding copies."""
    progress = None

    def start_progress(summary: ImportSummary, to_write: int) -> None:
        nonlocal progress
        click.echo(f"{path.name}: {summary.file_format}, {summary.records:,} records")
        progress = click.progressbar(length=to_write, label="Importing cameras")
        progress.__enter__()

    try:
        summary = import_cameras(path, on_parsed=start_progress, on_batch=lambda rows: progress.update(rows))
    except UnknownFileFormat as error:
        rollback()
        raise click.ClickException(str(error)) from error
    except BaseException:
        rollback()
        raise
    finally:
        if progress is not None:
            progress.__exit__(None, None, None)
    commit()
    for line in summary_lines(summary):
        click.echo(line)


def summary_lines(summary: ImportSummary) -> list[str]:
    lines = [
        f"created   {summary.created:>8,}",
        f"updated   {summary.updated:>8,}",
        f"unchanged {summary.unchanged:>8,}",
        f"skipped   {summary.skipped_total:>8,}",
    ]
    for reason, label in SKIP_REASONS.items():
        if summary.skipped[reason]:
            lines.append(f"  {summary.skipped[reason]:>8,}  {label}")
    if summary.directions_not_understood:
        lines.append(
            f"directions not understood on {summary.directions_not_understood:,} cameras: those values were "
            "left out, the cameras imported"
        )
    return lines


@cli.command("seed-demo")
@click.option("--count", default=DEFAULT_COUNT, show_default=True, type=click.IntRange(0, 1_000_000))
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="The same seed gives the same cameras.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds cameras.")
def seed_demo_command(count: int, seed: int, if_empty: bool) -> None:
    """Add synthetic demo cameras around US metro areas (for development and demos)."""
    if if_empty and any_cameras():
        click.echo("seed-demo: the database already holds cameras; nothing seeded")
        return
    seeded = seed_demo_cameras(count, seed)
    commit()
    click.echo(f"seed-demo: {seeded:,} demo cameras added (seed {seed})")
