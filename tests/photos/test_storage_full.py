"""Photo storage full (ENOSPC) when a moderator publishes photos: the verification is refused with a clear 507
and nothing is half-stored: the sighting stays pending with its photos, and none of the files written before
the disk filled up remains.

Until issue 15 the files were written at upload, so a full storage refused the report itself; now a report
keeps its photos in the database (no file, so no file time, says when it came) and only publication writes
files: the same refusal, the same guarantees, one step later. A report goes through whatever the storage."""

import errno
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.factories import log_in, make_user
from tests.support import photo_samples as samples
from tests.support.submissions import post_sighting, stored_state, submission
from webapp.kernel.data.models import PendingPhoto, Sighting
from webapp.kernel.extensions import db
from webapp.photos.storage import FilesystemStorage


class QuotaStorage(FilesystemStorage):
    """A filesystem backend with a byte quota that answers ENOSPC past it, as a full volume or a storage
    service over quota does. Files within the quota are really written."""

    def __init__(self, root: Path, quota_bytes: int):
        super().__init__(root)
        self.quota_bytes = quota_bytes

    def put(self, key: str, data: bytes) -> None:
        used = sum(path.stat().st_size for path in self.root.rglob("*") if path.is_file())
        if used + len(data) > self.quota_bytes:
            raise OSError(errno.ENOSPC, "No space left on device")
        super().put(key, data)


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def report_then_verify(client, data, moderator):
    """Report through the API (no file written), then verify as a moderator with no blur; returns the
    verification's answer and the sighting's id."""
    assert post_sighting(client, data).status_code == 201
    sighting_id = db.session.scalars(select(Sighting.id).order_by(Sighting.id.desc())).first()
    photo_ids = db.session.scalars(
        select(PendingPhoto.photo_id).where(PendingPhoto.photo.has(sighting_id=sighting_id))
    ).all()
    log_in(client, moderator)
    body = {"photos": {str(photo_id): {"boxes": []} for photo_id in photo_ids}}
    answer = client.post(f"/api/v1/moderation/sightings/{sighting_id}/verify", json=body)
    client.post("/logout")
    return answer, sighting_id


def still_pending(sighting_id: int, photos: int) -> bool:
    db.session.expire_all()
    sighting = db.session.get(Sighting, sighting_id)
    pending = db.session.scalars(
        select(PendingPhoto.photo_id).where(PendingPhoto.photo.has(sighting_id=sighting_id))
    ).all()
    return sighting.status == "pending" and len(pending) == photos


@pytest.fixture
def storage_root(tmp_path):
    root = tmp_path / "quota"
    root.mkdir()
    return root


def test_a_full_backend_gives_507_and_removes_what_it_wrote(
    app, client, app_context, monkeypatch, storage_root
):
    small = samples.jpeg(320, 240, metadata=False)
    moderator = make_user(role="moderator")
    # Room for the first photo's two files, not for the second photo.
    monkeypatch.setitem(app.extensions, "photo_storage", QuotaStorage(storage_root, quota_bytes=60_000))
    response, sighting_id = report_then_verify(
        client, submission([small, samples.noisy_jpeg(1200, 900)]), moderator
    )
    assert response.status_code == 507
    answer = response.get_json()
    assert answer["error"] == "storage_full"
    assert "nothing was saved" in answer["message"]
    assert response.headers["Retry-After"]
    assert still_pending(sighting_id, photos=2)
    assert files_under(storage_root) == []

    # Once there is room again, the same verification goes through.
    monkeypatch.setitem(app.extensions, "photo_storage", QuotaStorage(storage_root, quota_bytes=10**9))
    log_in(client, moderator)
    body = {"photos": {}}
    assert client.post(f"/api/v1/moderation/sightings/{sighting_id}/verify", json=body).status_code == 200
    assert len(files_under(storage_root)) == 4


def test_the_form_says_so_too(app, client, app_context, monkeypatch, storage_root):
    monkeypatch.setitem(app.extensions, "photo_storage", QuotaStorage(storage_root, quota_bytes=0))
    before = stored_state(app)
    # A report no longer needs the photo storage at all.
    assert client.post("/submit", data=submission([samples.jpeg()])).status_code == 303
    assert stored_state(app)[1] == before[1] + 1
    sighting_id = db.session.scalars(select(Sighting.id).order_by(Sighting.id.desc())).first()
    log_in(client, make_user(role="moderator"))
    form = {"lat": "41.8781", "lon": "-87.6298", "directions": "90", "vendor": "flock-safety"}
    response = client.post(f"/moderate/sightings/{sighting_id}/verify", data=form)
    assert response.status_code == 507
    assert "storage is full" in response.get_data(as_text=True)
    assert still_pending(sighting_id, photos=1)
    assert files_under(storage_root) == []


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A real 64 KiB filesystem (tmpfs): the kernel itself answers ENOSPC. Needs the right to mount."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_really_full_filesystem_gives_507_and_nothing_half_stored(
    app, client, app_context, monkeypatch, tiny_tmpfs
):
    monkeypatch.setitem(app.extensions, "photo_storage", FilesystemStorage(tiny_tmpfs))
    response, sighting_id = report_then_verify(
        client,
        submission([samples.jpeg(320, 240), samples.noisy_jpeg(1200, 900)]),
        make_user(role="moderator"),
    )
    assert response.status_code == 507
    assert response.get_json()["error"] == "storage_full"
    assert still_pending(sighting_id, photos=2)
    assert files_under(tiny_tmpfs) == []  # neither the first photo's files nor a half-written temporary one
