"""The record of each OpenStreetMap import (`osm_import_runs`) and the freshness it gives the pages:
"OpenStreetMap data as of <date>"."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from webapp.cameras.osm_files import ImportSummary
from webapp.kernel.data.models import OsmImportRun
from webapp.kernel.extensions import db

RECENT_RUNS = 10


def start_run(source_name: str, file_format: str, data_date: datetime | None, complete) -> OsmImportRun:
    """A run row for this import (its counts come at the end); the file's name only, never its path."""
    run = OsmImportRun(
        source_name=source_name[:200],
        file_format=file_format,
        data_date=data_date,
        complete_scope=complete.describe() if complete is not None else None,
    )
    db.session.add(run)
    db.session.flush()
    return run


def finish_run(run: OsmImportRun, summary: ImportSummary) -> None:
    for name in (
        "records",
        "created",
        "updated",
        "unchanged",
        "differs",
        "agreed",
        "gone",
        "linked",
        "proposed",
    ):
        setattr(run, name, getattr(summary, name))
    run.skipped = summary.skipped_total
    db.session.flush()


def recent_runs(limit: int = RECENT_RUNS) -> list[OsmImportRun]:
    query = (
        select(OsmImportRun).order_by(OsmImportRun.imported_at.desc(), OsmImportRun.id.desc()).limit(limit)
    )
    return list(db.session.scalars(query))


def osm_data_as_of() -> date | None:
    """The day of the OpenStreetMap data the last import brought (its own date when the file gave none)."""
    latest = recent_runs(1)
    return latest[0].data_as_of.astimezone(UTC).date() if latest else None
