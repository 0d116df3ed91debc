"""Making a release (`flask opendata release`, and the job runner's monthly schedule) and withdrawing one.

A release is written from one snapshot of the database (a REPEATABLE READ transaction), into a hidden folder
beside the others; every file is fsynced and made read-only, datapackage.json (with each file's size and
sha256) is written last, and the folder is renamed into place before the transaction that records the release
commits. If anything fails, the folder is deleted and nothing is recorded. One release is made at a time (a
lock file), so numbers never collide. A release's files never change afterwards; a withdrawal only marks it.
"""

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import text

from webapp.kernel.data.models import DataRelease
from webapp.kernel.data.transactions import commit, rollback
from webapp.kernel.errors import AlreadyHandled, InvalidInput, NotFound
from webapp.kernel.extensions import db
from webapp.releases.contents import write_contents
from webapp.releases.datapackage import write_datapackage

RELEASES_FOLDER = "releases"
Progress = Callable[[str], None]


def releases_folder() -> Path:
    return Path(current_app.config["EXPORT_DIR"]) / RELEASES_FOLDER


@contextlib.contextmanager
def _one_release_at_a_time(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _freeze(folder: Path) -> None:
    """fsync every file and make it read-only (a release's files never change)."""
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
        path.chmod(0o444)
    _fsync_folder(folder)


SNAPSHOT_SQL = """
    INSERT INTO release_cameras (release_number, camera_id, lon, lat)
    SELECT :number, id, round(ST_X(geom)::numeric, 6)::float8, round(ST_Y(geom)::numeric, 6)::float8
    FROM cameras WHERE camera_citable(status, demo)
"""
FIGURES_SQL = """
    INSERT INTO release_figures (release_number, kind, key, cameras)
    SELECT :number, 'state', state_geoid, count(*) FROM cameras
    WHERE camera_citable(status, demo) AND state_geoid IS NOT NULL GROUP BY state_geoid
    UNION ALL
    SELECT :number, 'county', county_geoid, count(*) FROM cameras
    WHERE camera_citable(status, demo) AND county_geoid IS NOT NULL GROUP BY county_geoid
    UNION ALL
    SELECT :number, 'agency', agency_id::text, count(*) FROM cameras
    WHERE camera_citable(status, demo) AND agency_id IS NOT NULL GROUP BY agency_id
"""
CHANGES_SQL = """
    SELECT count(*) FILTER (WHERE old.camera_id IS NULL) AS added,
           count(*) FILTER (WHERE new.camera_id IS NULL) AS removed,
           count(*) FILTER (WHERE old.camera_id IS NOT NULL AND new.camera_id IS NOT NULL
                            AND (old.lon, old.lat) <> (new.lon, new.lat)) AS moved
    FROM (SELECT camera_id, lon, lat FROM release_cameras WHERE release_number = :number) AS new
    FULL JOIN (SELECT camera_id, lon, lat FROM release_cameras WHERE release_number = :previous) AS old
    USING (camera_id)
"""


def make_release(progress: Progress = lambda message: None) -> DataRelease:
    """Freeze the open data as the next release, in the transaction it starts (its snapshot is the
    release's). Called by `publish_release`, which holds the lock, commits, and removes the folder again if
    the commit fails: until the commit the release is not listed."""
    db.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
    root = releases_folder()
    number = (db.session.scalar(text("SELECT max(number) FROM data_releases")) or 0) + 1
    previous = number - 1 if number > 1 else None
    today = datetime.now(UTC).date()
    data_date = f"release {number}, {today.isoformat()}"
    started = time.perf_counter()
    db.session.execute(text(SNAPSHOT_SQL), {"number": number})
    cameras = db.session.scalar(
        text("SELECT count(*) FROM release_cameras WHERE release_number = :number"), {"number": number}
    )
    progress(f"release {number}: {cameras:,} cameras frozen ({time.perf_counter() - started:.1f} s)")
    db.session.execute(text(FIGURES_SQL), {"number": number})
    changes = dict(
        db.session.execute(text(CHANGES_SQL), {"number": number, "previous": previous or 0}).mappings().one()
    )
    changes["previous"] = previous
    final = root / str(number)
    if final.exists():  # a folder an interrupted run renamed into place but never recorded
        shutil.rmtree(final)
    scratch = root / f".{number}-{secrets.token_hex(4)}"
    scratch.mkdir()
    try:
        files = write_contents(scratch, number, previous, data_date)
        progress(f"release {number}: {len(files)} files written ({time.perf_counter() - started:.1f} s)")
        sha256, size = write_datapackage(scratch, number, today, files)
        _freeze(scratch)
        os.rename(scratch, final)
        _fsync_folder(root)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    release = DataRelease(
        number=number,
        released_on=today,
        folder=str(number),
        cameras=cameras,
        datapackage_sha256=sha256,
        datapackage_bytes=size,
        changes=changes,
    )
    db.session.add(release)
    db.session.flush()
    progress(f"release {number} written to {final} in {time.perf_counter() - started:.1f} s")
    return release


def discard_folder(number: int) -> None:
    """Remove the folder of a release whose transaction rolled back (it was never listed)."""
    shutil.rmtree(releases_folder() / str(number), ignore_errors=True)


def withdraw_release(number: int, reason: str) -> DataRelease:
    """Mark a release withdrawn with a stated reason (it stays listed, with the reason; its files are no
    longer served). The caller commits."""
    reason = (reason or "").strip()
    if not 10 <= len(reason) <= 500:
        raise InvalidInput(_("Say why the release is withdrawn (10 to 500 characters)."))
    release = db.session.get(DataRelease, number, with_for_update=True)
    if release is None:
        raise NotFound(_("There is no release %(number)s.", number=number))
    if release.withdrawn_on is not None:
        raise AlreadyHandled(_("Release %(number)s was withdrawn already.", number=number))
    release.withdrawn_on = datetime.now(UTC).date()
    release.withdrawn_reason = reason
    db.session.flush()
    return release


def publish_release(progress: Progress = lambda message: None) -> int:
    """Make the next release and commit it: what `flask opendata release` and the monthly job run (they own
    the transaction). The new release's number."""
    rollback()  # a transaction of its own: the snapshot must be the release's
    with _one_release_at_a_time(releases_folder()):
        number = make_release(progress).number
        try:
            commit()
        except BaseException:
            discard_folder(number)
            raise
    return number


def release_if_due() -> str:
    """The scheduled release (the job runner calls it by this dotted path, hourly, in an app context): the
    next release when the latest is RELEASE_EVERY_DAYS old or there is none yet; what it did."""
    days = current_app.config["RELEASE_EVERY_DAYS"]
    latest = db.session.scalar(text("SELECT max(released_on) FROM data_releases"))
    rollback()
    today = datetime.now(UTC).date()
    if days <= 0 or (latest is not None and (today - latest).days < days):
        return f"no release due (the latest is of {latest})"
    return f"release {publish_release()} published"


def datapackage_of(release: DataRelease) -> dict:
    return json.loads((releases_folder() / release.folder / "datapackage.json").read_text())
