"""Photo storage full (ENOSPC): the submission is refused with a clear 507 and nothing is half-stored:
no row, and none of the files written before the disk filled up."""

import errno
import subprocess
from pathlib import Path

import pytest

from tests.support import photo_samples as samples
from tests.support.submissions import post_sighting, stored_state, submission
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


@pytest.fixture
def storage_root(tmp_path):
    root = tmp_path / "quota"
    root.mkdir()
    return root


def test_a_full_backend_gives_507_and_removes_what_it_wrote(app, client, monkeypatch, storage_root):
    small = samples.jpeg(320, 240, metadata=False)
    # Room for the first photo's two files, not for the second photo.
    monkeypatch.setitem(app.extensions, "photo_storage", QuotaStorage(storage_root, quota_bytes=60_000))
    before = stored_state(app)
    response = post_sighting(client, submission([small, samples.noisy_jpeg(1200, 900)]))
    assert response.status_code == 507
    answer = response.get_json()
    assert answer["error"] == "storage_full"
    assert "nothing was saved" in answer["message"]
    assert response.headers["Retry-After"]
    assert stored_state(app)[:2] == before[:2]
    assert files_under(storage_root) == []

    # Once there is room again, the same report goes through.
    monkeypatch.setitem(app.extensions, "photo_storage", QuotaStorage(storage_root, quota_bytes=10**9))
    assert post_sighting(client, submission([small, samples.noisy_jpeg(1200, 900)])).status_code == 201
    assert len(files_under(storage_root)) == 4


def test_the_form_says_so_too(app, client, monkeypatch, storage_root):
    monkeypatch.setitem(app.extensions, "photo_storage", QuotaStorage(storage_root, quota_bytes=0))
    before = stored_state(app)
    response = client.post("/submit", data=submission([samples.jpeg()]))
    assert response.status_code == 507
    assert "storage is full" in response.get_data(as_text=True)
    assert stored_state(app)[:2] == before[:2]
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


def test_a_really_full_filesystem_gives_507_and_nothing_half_stored(app, client, monkeypatch, tiny_tmpfs):
    monkeypatch.setitem(app.extensions, "photo_storage", FilesystemStorage(tiny_tmpfs))
    before = stored_state(app)
    response = post_sighting(client, submission([samples.jpeg(320, 240), samples.noisy_jpeg(1200, 900)]))
    assert response.status_code == 507
    assert response.get_json()["error"] == "storage_full"
    assert stored_state(app)[:2] == before[:2]
    assert files_under(tiny_tmpfs) == []  # neither the first photo's files nor a half-written temporary one
