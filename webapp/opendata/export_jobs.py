"""The export files follow the data within a minute, with nothing run by hand: the scheduler runs
`check_exports` every EXPORT_CHECK_EVERY seconds (webapp.jobs.schedule); when an export set's data
fingerprint differs from its files', it queues `write_export_files` (unique: never two at once, one queued
at most), which moderators see on /moderate/jobs.

Why a periodic check rather than a job queued by each change: every writer is caught (an import, a
moderator, a `psql` UPDATE, a writer added later), and the check is one index look-up per export set
(`data_changes`, migration 0013); a change made while the files are being written is picked up by the
next check."""

from sqlalchemy import text

from webapp.jobs import enqueue, exclusive
from webapp.kernel.data.transactions import commit, rollback
from webapp.kernel.extensions import db
from webapp.opendata.export_files import (
    EXPORT_SETS,
    data_fingerprint,
    export_folder,
    read_manifest,
    write_exports,
)

WRITE_JOB = "webapp.opendata.export_jobs.write_export_files"
# data_changes is folded into one row per subject once it holds this many (each costs a few bytes).
FOLD_AFTER_ROWS = 100
# Two jobs with this key are never queued at once; the lock keeps two workers from writing at once even
# when a job was queued twice by hand.
EXPORTS_KEY = "exports"


def stale_export_sets() -> list[str]:
    """The export sets whose files do not hold their data's current fingerprint."""
    return [
        name
        for name, export_set in EXPORT_SETS.items()
        if data_fingerprint(export_set) != (read_manifest(export_folder(export_set)) or {}).get("fingerprint")
    ]


def check_exports() -> str:
    """The scheduled check: queue the writing of the export files when any set's data changed."""
    try:
        stale = stale_export_sets()
        if db.session.scalar(text("SELECT count(*) FROM data_changes")) > FOLD_AFTER_ROWS:
            # One row per subject again; the data versions (sum and highest id) stay.
            db.session.execute(
                text(
                    "SELECT data_changes_fold(subject) FROM (SELECT DISTINCT subject FROM data_changes) AS s"
                )
            )
            commit()
        else:
            rollback()
    except BaseException:
        rollback()
        raise
    if not stale:
        return "the export files hold the current data"
    enqueue(WRITE_JOB, description="Write the export files", unique_key=EXPORTS_KEY)
    return f"queued the writing of: {', '.join(stale)}"


def write_export_files() -> str:
    """Write every export set whose data changed (the same work as `flask opendata export`); safe to run
    again, and one writer at a time across every worker."""
    written = []
    with exclusive(EXPORTS_KEY):
        for export_set in EXPORT_SETS.values():
            try:
                manifest = write_exports(export_set=export_set)
            finally:
                rollback()  # read only; the next set (and the next run) sees newer rows
            if manifest is not None:
                written.append(f"{export_set.name} of {manifest['data_date']}")
    return "written: " + ", ".join(written) if written else "nothing had changed"
