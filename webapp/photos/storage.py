"""Where photo derivatives live, behind a small interface (filesystem now; S3-compatible storage is the
way to grow). Keys are content-hash names such as `ab/cd/abcd...ef.jpg`; the original upload never
reaches storage."""

import errno
import os
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path

from flask import current_app


class StorageFull(OSError):
    """The storage backend has no room left (ENOSPC): the upload is refused, nothing half-stored."""


class PhotoStorage(ABC):
    """The interface every backend implements."""

    @abstractmethod
    def put(self, key: str, data: bytes) -> None:
        """Store the bytes under the key, all or nothing (readers never see half an object)."""

    @abstractmethod
    def read(self, key: str) -> bytes:
        """The stored bytes; FileNotFoundError when the key is not stored."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object; a key that is not stored is no error."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether the key is stored."""

    @abstractmethod
    def keys(self, include_incoming: bool = False):
        """Every stored key (for the orphan sweep); with include_incoming, half-written files too."""

    @abstractmethod
    def modified_at(self, key: str) -> float:
        """When the object was written (seconds since the epoch)."""


class FilesystemStorage(PhotoStorage):
    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key escapes the storage root: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file in the same folder, then rename: readers never see half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            if error.errno == errno.ENOSPC:
                raise StorageFull(errno.ENOSPC, "photo storage is full") from error
            raise

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self, include_incoming: bool = False):
        if not self.root.exists():
            return
        for path in self.root.rglob("*"):
            if path.is_file() and (include_incoming or not path.name.startswith(".incoming-")):
                yield path.relative_to(self.root).as_posix()

    def modified_at(self, key: str) -> float:
        return self._path(key).stat().st_mtime


def photo_storage() -> PhotoStorage:
    """The app's configured backend (tests may set app.extensions["photo_storage"] to another one)."""
    storage = current_app.extensions.get("photo_storage")
    if storage is None:
        storage = FilesystemStorage(current_app.config["UPLOAD_DIR"])
        current_app.extensions["photo_storage"] = storage
    return storage
