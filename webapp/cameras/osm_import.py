"""Import of OpenStreetMap ALPR cameras: read a camera file (webapp.cameras.osm_files), stage its cameras in a
temporary table, reconcile them with what moderators did (webapp.cameras.osm_reconcile), and upsert them keyed
by OSM type+id.

Staging is set-based (one INSERT per batch of rows passed as arrays) and the upsert is one INSERT .. SELECT ..
ON CONFLICT over the staged rows, so a national file of 60,000 cameras takes seconds and the statement-level
triggers on `cameras` run once. A re-import updates the fields OpenStreetMap owns and leaves the ones a
moderator set (`cameras.moderated_fields`) alone; it never changes a camera's status, so a camera a moderator
hid stays hidden, and an unchanged re-import writes nothing.
"""

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from webapp.cameras import osm_reconcile
from webapp.cameras.import_runs import finish_run, start_run
from webapp.cameras.osm_files import (
    CameraFile,
    CameraRecord,
    ImportSummary,
    parse_cameras,
    read_camera_file,
)
from webapp.cameras.osm_reconcile import Completeness
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import OWNED_FIELDS, CameraSource, CameraStatus

BATCH_SIZE = 5000
FRESH_STATISTICS_ROWS = 1000

STAGE_SQL = (
    "DROP TABLE IF EXISTS pg_temp.osm_incoming",
    """
    CREATE TEMPORARY TABLE osm_incoming (
        osm_type text NOT NULL, osm_id bigint NOT NULL,
        lon double precision NOT NULL, lat double precision NOT NULL,
        vendor text NOT NULL, mount text, directions smallint[] NOT NULL, operator text,
        mapper_directions smallint[] NOT NULL, osm_version integer, tags jsonb,
        start_date text, started_month date,
        PRIMARY KEY (osm_type, osm_id)
    ) ON COMMIT DROP
    """,
)

# Rows arrive as parallel arrays and are unnested: one statement per batch, whatever the batch size.
LOAD_SQL = text(
    """
    INSERT INTO osm_incoming
    SELECT r.osm_type, r.osm_id, r.lon, r.lat, r.vendor, r.mount, CAST(r.directions AS smallint[]),
           r.operator, CAST(r.mapper_directions AS smallint[]), r.osm_version, CAST(r.tags AS jsonb),
           r.start_date, r.started_month
    FROM unnest(
        CAST(:osm_types AS text[]), CAST(:osm_ids AS bigint[]),
        CAST(:lons AS double precision[]), CAST(:lats AS double precision[]),
        CAST(:vendors AS text[]), CAST(:mounts AS text[]),
        CAST(:directions AS text[]), CAST(:operators AS text[]),
        CAST(:mapper_directions AS text[]), CAST(:osm_versions AS integer[]), CAST(:tags AS text[]),
        CAST(:start_dates AS text[]), CAST(:started_months AS date[])
    ) AS r(osm_type, osm_id, lon, lat, vendor, mount, directions, operator, mapper_directions, osm_version,
           tags, start_date, started_month)
    """
)


def _kept_unless_moderated(field: str, column: str, incoming: str) -> str:
    """The value an update gives a column: OpenStreetMap's, unless a moderator set the field."""
    return f"CASE WHEN '{field}' = ANY(cameras.moderated_fields) THEN cameras.{column} ELSE {incoming} END"


_UPDATED = {
    "geom": _kept_unless_moderated("position", "geom", "EXCLUDED.geom"),
    "vendor": _kept_unless_moderated("vendor", "vendor", "EXCLUDED.vendor"),
    "mount": _kept_unless_moderated("mount", "mount", "EXCLUDED.mount"),
    "directions": _kept_unless_moderated("directions", "directions", "EXCLUDED.directions"),
    "operator": _kept_unless_moderated("operator", "operator", "EXCLUDED.operator"),
}
assert len(_UPDATED) == len(OWNED_FIELDS)

# An update happens only when a value OpenStreetMap owns differs, so re-importing an unchanged file writes
# nothing (no new version, no trigger work); `xmax = 0` tells a fresh insert from an update.
UPSERT_SQL = text(
    f"""
    INSERT INTO cameras (geom, status, vendor, mount, directions, operator, source, osm_type, osm_id,
                         osm_start_date, started_month)
    SELECT ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326), :verified, i.vendor, i.mount, i.directions,
           i.operator, :osm, i.osm_type, i.osm_id, i.start_date, i.started_month
    FROM osm_incoming i
    ORDER BY i.osm_type, i.osm_id
    ON CONFLICT (osm_type, osm_id) DO UPDATE SET
        {", ".join(f"{column} = {value}" for column, value in _UPDATED.items())},
        -- OpenStreetMap always owns its start_date (no moderator sets it).
        osm_start_date = EXCLUDED.osm_start_date,
        started_month = EXCLUDED.started_month,
        updated_at = now()
    WHERE (ST_X(cameras.geom), ST_Y(cameras.geom), cameras.vendor, cameras.mount, cameras.directions,
           cameras.operator, cameras.osm_start_date)
          IS DISTINCT FROM
          (ST_X({_UPDATED["geom"]}), ST_Y({_UPDATED["geom"]}), {_UPDATED["vendor"]}, {_UPDATED["mount"]},
           {_UPDATED["directions"]}, {_UPDATED["operator"]}, EXCLUDED.osm_start_date)
    RETURNING (cameras.xmax = 0) AS created
    """  # noqa: S608 (column names and expressions from _UPDATED; values bound)
)


def _batches(cameras: list[CameraRecord], size: int) -> Iterator[list[CameraRecord]]:
    for start in range(0, len(cameras), size):
        yield cameras[start : start + size]


def _array(values) -> str:
    return "{" + ",".join(map(str, values)) + "}"


def stage_cameras(
    cameras: list[CameraRecord],
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> None:
    """Load the cameras into the transaction's temporary table `osm_incoming`."""
    for statement in STAGE_SQL:
        db.session.execute(text(statement))
    for batch in _batches(cameras, batch_size):
        db.session.execute(
            LOAD_SQL,
            {
                "osm_types": [camera.osm_type for camera in batch],
                "osm_ids": [camera.osm_id for camera in batch],
                "lons": [camera.lon for camera in batch],
                "lats": [camera.lat for camera in batch],
                "vendors": [camera.vendor for camera in batch],
                "mounts": [camera.mount for camera in batch],
                "directions": [_array(camera.directions) for camera in batch],
                "operators": [camera.operator for camera in batch],
                "mapper_directions": [
                    _array(camera.mapper_directions or camera.directions) for camera in batch
                ],
                "osm_versions": [camera.osm_version for camera in batch],
                "start_dates": [camera.start_date for camera in batch],
                "started_months": [camera.started_month for camera in batch],
                "tags": [
                    json.dumps(camera.osm_tags) if camera.osm_tags is not None else None for camera in batch
                ],
            },
        )
        if on_batch:
            on_batch(len(batch))


def upsert_staged() -> tuple[int, int]:
    """Insert or update the staged cameras; (created, updated)."""
    rows = db.session.execute(
        UPSERT_SQL, {"verified": CameraStatus.VERIFIED.value, "osm": CameraSource.OSM.value}
    ).all()
    created = sum(1 for row in rows if row.created)
    return created, len(rows) - created


def any_osm_cameras() -> bool:
    return db.session.execute(
        text("SELECT EXISTS (SELECT 1 FROM cameras WHERE osm_type IS NOT NULL)")
    ).scalar_one()


def import_cameras(
    path: Path,
    on_parsed: Callable[[ImportSummary, int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
    complete: Completeness | None = None,
    data_date: datetime | None = None,
    allow_many_gone: bool = False,
) -> ImportSummary:
    """Read a camera file and import its cameras in the current transaction (the caller commits).

    `on_parsed(summary, cameras_to_write)` runs once the file is read, `on_batch(rows)` after each staged
    batch: they drive a progress bar. `complete` declares the file complete for the whole file or a bbox:
    cameras of OpenStreetMap there that the file no longer has are queued as gone (never removed). Raises
    UnknownFileFormat, or ImportRefused for a complete import of a file known to be partial, before anything
    is written."""
    return import_camera_file(
        read_camera_file(path), path.name, on_parsed, on_batch, complete, data_date, allow_many_gone
    )


def import_camera_file(
    camera_file: CameraFile,
    source_name: str,
    on_parsed: Callable[[ImportSummary, int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
    complete: Completeness | None = None,
    data_date: datetime | None = None,
    allow_many_gone: bool = False,
) -> ImportSummary:
    """import_cameras() of a camera file already read (a file, or an answer of the Overpass API):
    `source_name` names it in the import runs and messages."""
    if complete is not None:
        osm_reconcile.check_complete_file(camera_file, source_name)
    cameras, summary = parse_cameras(camera_file.file_format, camera_file.items)
    if complete is not None and not cameras:
        raise osm_reconcile.ImportRefused(
            f"{source_name} holds no camera: an import declared complete would mark every camera as gone"
        )
    if on_parsed:
        on_parsed(summary, len(cameras))
    run = start_run(source_name, camera_file.file_format, data_date or camera_file.data_date, complete)
    stage_cameras(cameras, on_batch=on_batch)
    summary.linked = osm_reconcile.link_uploaded_cameras()
    differs_by_camera, summary.differs, summary.agreed = osm_reconcile.reconcile_moderated_fields()
    summary.created, summary.updated = upsert_staged()
    summary.unchanged = len(cameras) - summary.created - summary.updated
    if summary.created > FRESH_STATISTICS_ROWS:
        # The planner still believes the table as it was before this transaction (an empty one on a first
        # import): the reconciliation's joins below would scan the new cameras once per new camera. ANALYZE
        # counts this transaction's own rows.
        db.session.execute(text("ANALYZE cameras"))
    osm_reconcile.store_osm_values(differs_by_camera)
    summary.proposed = osm_reconcile.propose_links()
    if complete is not None:
        summary.gone = osm_reconcile.mark_gone(complete, source_name, allow_many_gone)
    finish_run(run, summary)
    db.session.execute(text("DROP TABLE IF EXISTS pg_temp.osm_incoming"))
    return summary
