"""`flask maintenance sweep`: remove orphan photo files and expired rejected sightings."""

import click
from flask.cli import AppGroup

from webapp.kernel.data.transactions import commit
from webapp.kernel.vocabulary import Limits
from webapp.maintenance.sweep import (
    DEFAULT_GRACE_SECONDS,
    move_pending_files_into_database,
    purge_rejected_sightings,
    sweep_orphan_files,
)

# AppGroup: each command runs inside an app context, also when a test invokes it.
cli = AppGroup("maintenance", help="Housekeeping jobs (safe to run at any time, e.g. daily).")


@cli.command("sweep")
@click.option(
    "--grace",
    default=DEFAULT_GRACE_SECONDS,
    show_default=True,
    help="Seconds a file must have existed before it counts as an orphan (uploads in flight are younger).",
)
@click.option("--retention-days", default=Limits.REJECTED_RETENTION_DAYS, show_default=True)
def sweep_command(grace: int, retention_days: int) -> None:
    """Delete photo files no row references, and rejected sightings past their retention; move pending
    photos still stored as files into the database."""
    purged = purge_rejected_sightings(retention_days)
    moved = move_pending_files_into_database()
    commit()
    removed = sweep_orphan_files(grace)
    click.echo(
        f"sweep: {purged} expired rejected sightings deleted, {moved} pending photos moved into the "
        f"database, {len(removed)} orphan files removed"
    )
