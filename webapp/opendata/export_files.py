"""The full exports as files: written when the data changed (the job worker's export check,
webapp.opendata.export_jobs, queues them within EXPORT_CHECK_EVERY seconds of a change; `flask opendata
export` writes them by hand), served as static files with ETag and Range.

Streaming a million rows to each reader held a worker thread, a database connection and an open transaction
for as long as the slowest reader took. A file is written once per change, through the same serialisers
(webapp.opendata.formats), and each request then reads the small manifest and hands the file to the server;
no request touches the database.

The folder (EXPORT_DIR) holds `manifest.json` and one file per format, named by the export's version. A new
export is written beside the old one, fsynced and renamed into place, then the manifest is replaced (also
atomically), then the files of older versions are deleted: a reader sees a whole export or the previous one,
and a download already under way keeps its open file. A change is noticed by a fingerprint taken before the
rows are read, so a change that lands while an export is being written is exported on the next run. The
cameras' fingerprint is their data version (`data_changes`, appended to by a trigger), so every writer
counts, `psql` included.

The cameras are one export set; another domain adds its own (agencies and their sharing relations) with
`register_export_set`, in a folder of its own under EXPORT_DIR, and `flask opendata export` writes every set.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Response, current_app, send_file
from flask_babel import gettext as _
from sqlalchemy import text

from webapp.geo.public_cameras import all_citable_cameras, all_removed_cameras
from webapp.jobs import report_progress
from webapp.kernel.errors import Unavailable
from webapp.kernel.extensions import db
from webapp.kernel.http.public_answers import public_answer
from webapp.opendata.formats import csv_stream, geojson_stream, kml_stream, removed_csv_stream


@dataclass(frozen=True)
class ExportFormat:
    serialise: Callable[[Iterable[list[dict]], str], Iterator[str]]
    mimetype: str
    rows: Callable[[], Iterable[list[dict]]]
    download_name: str


# Every full export, written together when the cameras change: the citable cameras in three formats, and the
# cameras confirmed taken down (with the month) as CSV.
FORMATS = {
    "geojson": ExportFormat(
        geojson_stream, "application/geo+json", all_citable_cameras, "sightline-cameras.geojson"
    ),
    "csv": ExportFormat(csv_stream, "text/csv", all_citable_cameras, "sightline-cameras.csv"),
    "kml": ExportFormat(
        kml_stream, "application/vnd.google-earth.kml+xml", all_citable_cameras, "sightline-cameras.kml"
    ),
    "removed-csv": ExportFormat(
        removed_csv_stream, "text/csv", all_removed_cameras, "sightline-removed-cameras.csv"
    ),
}
MANIFEST = "manifest.json"
# Seconds a browser or a CDN may keep an export file before asking again (ETag: a 304 when unchanged).
EXPORT_MAX_AGE = 300
# Tells every change to the cameras, by any writer: the rows a statement-level trigger appends to
# `data_changes` for each statement that changed them (migration 0013), their sum and highest id. An index
# scan of a few rows, not of the cameras.
FINGERPRINT = """
    SELECT 'changes:' || coalesce(sum(changes), 0) || ':' || coalesce(max(id), 0)
    FROM data_changes WHERE subject = 'cameras'
"""


@dataclass(frozen=True)
class ExportSet:
    """Files written together when their data changes: `fingerprint` is SQL answering one text that
    changes with the data; the files live in EXPORT_DIR/`folder` (the top folder when empty), named
    `{file_prefix}{version}.{format}`."""

    name: str
    formats: dict[str, ExportFormat]
    fingerprint: str
    file_prefix: str
    folder: str = ""


CAMERA_EXPORTS = ExportSet("cameras", FORMATS, FINGERPRINT, "sightline-cameras-")
# Every export set `flask opendata export` writes, by name (domains above opendata add theirs).
EXPORT_SETS: dict[str, ExportSet] = {CAMERA_EXPORTS.name: CAMERA_EXPORTS}


def register_export_set(export_set: ExportSet) -> ExportSet:
    EXPORT_SETS[export_set.name] = export_set
    return export_set


@dataclass(frozen=True)
class ExportFile:
    path: Path
    mimetype: str
    etag: str
    data_date: str
    generated_at: datetime
    bytes: int


def export_folder(export_set: ExportSet = CAMERA_EXPORTS) -> Path:
    return Path(current_app.config["EXPORT_DIR"]) / export_set.folder


def data_fingerprint(export_set: ExportSet = CAMERA_EXPORTS) -> str:
    return db.session.scalar(text(export_set.fingerprint))


def read_manifest(folder: Path | None = None) -> dict | None:
    try:
        return json.loads(((folder or export_folder()) / MANIFEST).read_text())
    except (FileNotFoundError, ValueError):
        return None


def current_export(name: str, export_set: ExportSet = CAMERA_EXPORTS) -> ExportFile:
    """The file of the latest export in this format; Unavailable (503) before the first export."""
    folder = export_folder(export_set)
    manifest = read_manifest(folder)
    entry = (manifest or {}).get("files", {}).get(name)
    if entry is None or not (folder / entry["file"]).is_file():
        raise Unavailable(
            _("The export files are being prepared. Please try again in a minute."),
            code="export_not_ready",
            retry_after=60,
        )
    return ExportFile(
        path=folder / entry["file"],
        mimetype=export_set.formats[name].mimetype,
        etag=entry["sha256"],
        data_date=manifest["data_date"],
        generated_at=datetime.fromisoformat(manifest["generated_at"]),
        bytes=entry["bytes"],
    )


def send_export(name: str, export_set: ExportSet = CAMERA_EXPORTS) -> Response:
    """One file of an export set as it was last written (every export route of the app answers this)."""
    export_file = current_export(name, export_set)
    # conditional: If-None-Match / If-Modified-Since answer 304, Range answers 206 (a download can resume).
    response = send_file(
        export_file.path,
        mimetype=export_file.mimetype,
        as_attachment=True,
        download_name=export_set.formats[name].download_name,
        conditional=True,
        etag=export_file.etag,
        last_modified=export_file.generated_at,
        max_age=EXPORT_MAX_AGE,
    )
    response.headers["Sightline-Data-Date"] = export_file.data_date
    return public_answer(response, EXPORT_MAX_AGE)


@contextlib.contextmanager
def _writer_lock(folder: Path):
    """One writer at a time (two exporters, or the CLI run by hand beside the service)."""
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _write_atomically(path: Path, chunks: Iterable[bytes]) -> tuple[str, int]:
    """Write `chunks` to `path` through a temporary file renamed into place; (sha256, size)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    digest, size = hashlib.sha256(), 0
    try:
        with open(temporary, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return digest.hexdigest(), size


def _encoded(parts: Iterator[str]) -> Iterator[bytes]:
    for part in parts:
        yield part.encode()


def write_exports(force: bool = False, export_set: ExportSet = CAMERA_EXPORTS) -> dict | None:
    """Write every format of an export set (the cameras by default) if its data changed since the last one
    (or `force`); the new manifest, or None when nothing changed."""
    folder = export_folder(export_set)
    folder.mkdir(parents=True, exist_ok=True)
    with _writer_lock(folder):
        fingerprint = data_fingerprint(export_set)
        previous = read_manifest(folder)
        if not force and previous is not None and previous.get("fingerprint") == fingerprint:
            return None
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        version = f"{now:%Y%m%dT%H%MZ}-{secrets.token_hex(4)}"
        data_date = f"{now:%Y-%m-%dT%H:%MZ}"
        files = {}
        for done, (name, export_format) in enumerate(export_set.formats.items()):
            report_progress(done, len(export_set.formats), f"{export_set.name}: writing {name}")
            file_name = f"{export_set.file_prefix}{version}.{name}"
            rows = export_format.rows()
            sha256, size = _write_atomically(
                folder / file_name, _encoded(export_format.serialise(rows, data_date))
            )
            files[name] = {"file": file_name, "sha256": sha256, "bytes": size}
        manifest = {
            "fingerprint": fingerprint,
            "data_date": data_date,
            "generated_at": now.isoformat(),
            "files": files,
        }
        _write_atomically(folder / MANIFEST, [json.dumps(manifest, indent=2).encode()])
        keep = {entry["file"] for entry in files.values()} | {MANIFEST, ".lock"}
        for stale in folder.iterdir():
            if stale.name not in keep and stale.name.startswith(
                (export_set.file_prefix, f".{export_set.file_prefix}")
            ):
                stale.unlink(missing_ok=True)
        return manifest
