"""Import of OpenStreetMap ALPR cameras: read a camera file (webapp.cameras.osm_files) and upsert its cameras
keyed by OSM type+id.

The upsert is set-based (one INSERT .. ON CONFLICT per batch of rows passed as arrays), so a national file of
60,000 cameras takes seconds and the statement-level triggers on `cameras` run once per batch, not per row.
A re-import updates what changed and leaves everything else untouched; it never changes a camera's status,
so a camera a moderator hid stays hidden.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import text

from webapp.cameras.osm_files import CameraRecord, ImportSummary, parse_cameras, read_document
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraSource, CameraStatus

BATCH_SIZE = 5000

# Rows arrive as parallel arrays and are unnested: one statement per batch, whatever the batch size.
# An update happens only when something differs, so re-importing an unchanged file writes nothing
# (no new version, no trigger work); `xmax = 0` tells a fresh insert from an update.
UPSERT_SQL = text(
    """
    INSERT INTO cameras (geom, status, vendor, mount, directions, operator, source, osm_type, osm_id,
                         osm_start_date, started_month)
    SELECT ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), :verified, r.vendor, r.mount,
           CAST(r.directions AS smallint[]), r.operator, :osm, r.osm_type, r.osm_id,
           r.start_date, r.started_month
    FROM unnest(
        CAST(:osm_types AS text[]), CAST(:osm_ids AS bigint[]),
        CAST(:lons AS double precision[]), CAST(:lats AS double precision[]),
        CAST(:vendors AS text[]), CAST(:mounts AS text[]),
        CAST(:directions AS text[]), CAST(:operators AS text[]),
        CAST(:start_dates AS text[]), CAST(:started_months AS date[])
    ) AS r(osm_type, osm_id, lon, lat, vendor, mount, directions, operator, start_date, started_month)
    ON CONFLICT (osm_type, osm_id) DO UPDATE SET
        geom = EXCLUDED.geom,
        vendor = EXCLUDED.vendor,
        mount = EXCLUDED.mount,
        directions = EXCLUDED.directions,
        operator = EXCLUDED.operator,
        osm_start_date = EXCLUDED.osm_start_date,
        started_month = EXCLUDED.started_month,
        updated_at = now(),
        version = cameras.version + 1
    WHERE (ST_X(cameras.geom), ST_Y(cameras.geom), cameras.vendor, cameras.mount, cameras.directions,
           cameras.operator, cameras.osm_start_date)
          IS DISTINCT FROM
          (ST_X(EXCLUDED.geom), ST_Y(EXCLUDED.geom), EXCLUDED.vendor, EXCLUDED.mount, EXCLUDED.directions,
           EXCLUDED.operator, EXCLUDED.osm_start_date)
    RETURNING (cameras.xmax = 0) AS created
    """
)


def _batches(cameras: list[CameraRecord], size: int) -> Iterator[list[CameraRecord]]:
    for start in range(0, len(cameras), size):
        yield cameras[start : start + size]


def upsert_cameras(
    cameras: list[CameraRecord],
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Insert or update the cameras in the current transaction; (created, updated). The caller commits."""
    created = updated = 0
    for batch in _batches(cameras, batch_size):
        rows = db.session.execute(
            UPSERT_SQL,
            {
                "verified": CameraStatus.VERIFIED.value,
                "osm": CameraSource.OSM.value,
                "osm_types": [camera.osm_type for camera in batch],
                "osm_ids": [camera.osm_id for camera in batch],
                "lons": [camera.lon for camera in batch],
                "lats": [camera.lat for camera in batch],
                "vendors": [camera.vendor for camera in batch],
                "mounts": [camera.mount for camera in batch],
                "directions": ["{" + ",".join(map(str, camera.directions)) + "}" for camera in batch],
                "operators": [camera.operator for camera in batch],
                "start_dates": [camera.start_date for camera in batch],
                "started_months": [camera.started_month for camera in batch],
            },
        ).all()
        batch_created = sum(1 for row in rows if row.created)
        created += batch_created
        updated += len(rows) - batch_created
        if on_batch:
            on_batch(len(batch))
    return created, updated


def import_cameras(
    path: Path,
    on_parsed: Callable[[ImportSummary, int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Read a camera file and upsert its cameras in the current transaction (the caller commits).

    `on_parsed(summary, cameras_to_write)` runs once the file is read, `on_batch(rows)` after each batch:
    they drive a progress bar. Raises UnknownFileFormat before anything is written."""
    file_format, items = read_document(path)
    cameras, summary = parse_cameras(file_format, items)
    if on_parsed:
        on_parsed(summary, len(cameras))
    summary.created, summary.updated = upsert_cameras(cameras, on_batch=on_batch)
    summary.unchanged = len(cameras) - summary.created - summary.updated
    return summary
