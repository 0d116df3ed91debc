"""Photos that are not public yet live inside PostgreSQL (webapp.kernel.data.models.PendingPhoto), not as
files: a file's modification and change times would be its upload's, and so a report's exact time. Files are
written only when a moderator publishes a photo (at verification or merge), so every time on disk is a
moderator's; the pending row goes in the same transaction.

Photos stored as files while still pending (uploaded before migration 0004) are read from their files until
`flask maintenance sweep` moves them in (webapp.maintenance.sweep).
"""

from sqlalchemy import select

from webapp.kernel.data.models import PendingPhoto, Photo
from webapp.kernel.extensions import db
from webapp.photos.encoding import Derivatives
from webapp.photos.files import obsolete_after_commit, store_files
from webapp.photos.storage import photo_storage

VARIANTS = ("display", "thumb")


def keep_pending(photo: Photo, display: bytes, thumb: bytes) -> PendingPhoto:
    """Keep a photo's display image and thumbnail in the current transaction (nothing touches the disk)."""
    pending = PendingPhoto(photo=photo, display=display, thumb=thumb)
    db.session.add(pending)
    return pending


def _column(variant: str):
    if variant not in VARIANTS:
        raise ValueError(f"no such photo variant: {variant!r}")
    return PendingPhoto.display if variant == "display" else PendingPhoto.thumb


def pending_variant(photo_id: int, variant: str) -> bytes | None:
    """One variant of one pending photo: one column of one row is read, never more (a row holds up to a
    few megabytes); None when the photo is not pending."""
    return db.session.scalar(select(_column(variant)).where(PendingPhoto.photo_id == photo_id))


def photo_bytes(photo: Photo, variant: str) -> bytes:
    """A photo's bytes wherever they are: its pending row, else its file. FileNotFoundError when neither."""
    data = pending_variant(photo.id, variant)
    if data is not None:
        return data
    return photo_storage().read(photo.display_key if variant == "display" else photo.thumb_key)


def publish_files(photo: Photo, replacement: Derivatives | None = None) -> None:
    """Write the photo's files for the current transaction (removed again if it rolls back) and drop its
    pending row: its own bytes, or `replacement` (a blurred re-encoding), which the photo then points at.

    A photo that was already in files and gets a replacement has its old files deleted once the transaction
    commits (if no other row uses them). Keys are content hashes: a file that exists already holds these
    very bytes and keeps its (earlier publication's) times."""
    pending = db.session.get(PendingPhoto, photo.id)
    files: dict[str, bytes] = {}
    if replacement is not None:
        files = {
            replacement.display.key: replacement.display.data,
            replacement.thumb.key: replacement.thumb.data,
        }
        if pending is None:
            obsolete_after_commit([key for key in (photo.display_key, photo.thumb_key) if key not in files])
        photo.content_hash = replacement.display.content_hash
        photo.display_key, photo.thumb_key = replacement.display.key, replacement.thumb.key
        photo.width, photo.height = replacement.display.width, replacement.display.height
    elif pending is not None:
        files = {photo.display_key: pending.display, photo.thumb_key: pending.thumb}
    store_files(files)
    if pending is not None:
        db.session.delete(pending)
