"""`flask cameras ...`: import OpenStreetMap cameras from a file, seed demo cameras into an empty database."""

from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import click
from flask.cli import AppGroup
from redis.exceptions import RedisError

from webapp.cameras.after_import import queue_agency_matching
from webapp.cameras.demo_seed import (
    DEFAULT_COUNT,
    DEFAULT_SEED,
    any_cameras,
    any_demo_reports,
    seed_demo_cameras,
    seed_demo_reports,
)
from webapp.cameras.osm_export import WRITERS, build_export
from webapp.cameras.osm_files import ImportSummary, UnknownFileFormat, summary_lines
from webapp.cameras.osm_import import any_osm_cameras, import_cameras
from webapp.cameras.osm_reconcile import Completeness, ImportRefused
from webapp.cameras.overpass import OverpassUnavailable
from webapp.cameras.refresh import refresh_cameras
from webapp.geo.bbox import BadBbox, parse_bbox
from webapp.kernel.data.transactions import commit, rollback

cli = AppGroup("cameras", help="Import and seed cameras.")


def _completeness(whole_file: bool, raw_bbox: str | None) -> Completeness | None:
    if whole_file and raw_bbox:
        raise click.UsageError("--complete and --complete-bbox exclude each other")
    if raw_bbox:
        try:
            return Completeness(bbox=parse_bbox(raw_bbox))
        except BadBbox as error:
            raise click.BadParameter(error.message, param_hint="--complete-bbox") from error
    return Completeness() if whole_file else None


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--complete",
    "whole_file",
    is_flag=True,
    help="The file holds every ALPR OpenStreetMap has: cameras it no longer has are queued as gone.",
)
@click.option(
    "--complete-bbox",
    metavar="W,S,E,N",
    help="The file holds every ALPR OpenStreetMap has inside this box (west,south,east,north).",
)
@click.option(
    "--data-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date of the data, for a file that does not say it (Overpass JSON does).",
)
@click.option("--allow-many-gone", is_flag=True, help="Queue many gone cameras at once (see the README).")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing when the database already holds OpenStreetMap cameras (`make run` loads data/ once).",
)
def import_command(
    path: Path, whole_file: bool, complete_bbox: str | None, data_date, allow_many_gone: bool, if_empty: bool
) -> None:
    """Import ALPR cameras from Overpass API JSON or a DeFlock camera array (gzipped or not).

    Cameras are keyed by OSM type and id: importing again updates the fields OpenStreetMap owns instead of
    adding copies, and leaves the ones a moderator set. A partial file (the default) never removes or queues
    anything as gone."""
    if if_empty and any_osm_cameras():
        click.echo(f"{path.name}: the database already holds OpenStreetMap cameras; nothing imported")
        return
    complete = _completeness(whole_file, complete_bbox)
    if data_date is not None:
        data_date = data_date.replace(tzinfo=UTC)
    _import_with_progress(
        lambda on_parsed, on_batch: import_cameras(
            path,
            on_parsed=on_parsed,
            on_batch=on_batch,
            complete=complete,
            data_date=data_date,
            allow_many_gone=allow_many_gone,
        ),
        (UnknownFileFormat, ImportRefused),
        heading=lambda summary: f"{path.name}: {summary.file_format}, {summary.records:,} records",
    )


@cli.command("refresh")
@click.option("--allow-many-gone", is_flag=True, help="Queue many gone cameras at once (see the README).")
def refresh_command(allow_many_gone: bool) -> None:
    """Fetch the US ALPRs from the Overpass API (OVERPASS_URL, OVERPASS_QUERY) and import them as a complete
    file: new and changed cameras are written, cameras OpenStreetMap no longer has are queued as gone."""
    _import_with_progress(
        lambda on_parsed, on_batch: refresh_cameras(
            progress=lambda message: click.echo(f"refresh: {message}"),
            on_parsed=on_parsed,
            on_batch=on_batch,
            allow_many_gone=allow_many_gone,
        ),
        (OverpassUnavailable, ImportRefused),
        refused_suffix=" (nothing was imported)",
    )


def _import_with_progress(
    run: Callable,
    refusals: tuple[type[Exception], ...],
    heading: Callable[[ImportSummary], str] | None = None,
    refused_suffix: str = "",
) -> None:
    """Run an import, `run(on_parsed, on_batch)`, behind a progress bar; commit once and print its summary,
    or roll back and exit 1 saying why it was refused."""
    progress = None

    def start_progress(summary: ImportSummary, to_write: int) -> None:
        nonlocal progress
        if heading:
            click.echo(heading(summary))
        progress = click.progressbar(length=to_write, label="Importing cameras")
        progress.__enter__()

    try:
        summary = run(start_progress, lambda rows: progress.update(rows))
    except refusals as error:
        rollback()
        raise click.ClickException(f"{error}{refused_suffix}") from error
    except BaseException:
        rollback()
        raise
    finally:
        if progress is not None:
            progress.__exit__(None, None, None)
    commit()
    for line in summary_lines(summary):
        click.echo(line)
    _queue_agency_matching()


def _queue_agency_matching() -> None:
    try:
        job_id = queue_agency_matching()
    except RedisError as error:  # the import is committed; say what to run instead
        click.echo(f"agencies: the job queue does not answer ({error}); run `flask agencies match`", err=True)
        return
    if job_id is None:
        click.echo(
            "agencies: no job queue (JOBS_REDIS_URL); run `flask agencies match` to link new operators"
        )
    else:
        click.echo(f"agencies: the operator matcher is queued (job {job_id}; see /moderate/jobs)")


@cli.command("osm-export")
@click.option(
    "--bbox", "raw_bbox", metavar="W,S,E,N", required=True, help="The area (west,south,east,north)."
)
@click.option(
    "--format", "export_format", type=click.Choice(sorted(WRITERS)), default="osm", show_default=True
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def osm_export_command(raw_bbox: str, export_format: str, output: Path) -> None:
    """Write the cameras to send back to OpenStreetMap (new ones and moderators' corrections) as a JOSM file
    (osm) or osmChange (osc). Review it in JOSM before uploading: see the README."""
    try:
        bbox = parse_bbox(raw_bbox)
        export = build_export(bbox)
    except BadBbox as error:
        raise click.ClickException(error.message) from error
    output.write_bytes(WRITERS[export_format](export))
    click.echo(f"{output.name}: {export.summary()}")


@cli.command("seed-demo-reports")
@click.option("--if-empty", is_flag=True, help="Do nothing when demo reports were seeded already.")
def seed_demo_reports_command(if_empty: bool) -> None:
    """Add a few pending demo reports to the review queue (marked demo: verified, they become demo cameras,
    which no figure or export counts)."""
    if if_empty and any_demo_reports():
        click.echo("seed-demo-reports: demo reports are there already; nothing seeded")
        return
    seeded = seed_demo_reports()
    commit()
    click.echo(f"seed-demo-reports: {seeded} pending demo reports added to the review queue")


@cli.command("seed-demo")
@click.option("--count", default=DEFAULT_COUNT, show_default=True, type=click.IntRange(0, 1_000_000))
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="The same seed gives the same cameras.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds cameras.")
def seed_demo_command(count: int, seed: int, if_empty: bool) -> None:
    """Add synthetic demo cameras around US metro areas (for load tests; never counted in any figure)."""
    if if_empty and any_cameras():
        click.echo("seed-demo: the database already holds cameras; nothing seeded")
        return
    seeded = seed_demo_cameras(count, seed)
    commit()
    click.echo(f"seed-demo: {seeded:,} demo cameras added (seed {seed})")
