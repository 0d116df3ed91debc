"""Housekeeping that keeps storage and the database honest: orphan photo files left by an interrupted
publication, pending photos still stored as files (uploaded before migration 0004: their files' times are
their uploads'), and rejected sightings past their retention period.

Only publishing a photo writes files, so an orphan file can only come from a verification cut short (a
killed worker between writing the files and committing); a report that is never verified leaves none.
"""

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, union_all

from webapp.kernel.data.models import ModerationEvent, Photo, Sighting
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import Limits, SightingStatus
from webapp.photos.files import in_files, obsolete_after_commit
from webapp.photos.pending import keep_pending
from webapp.photos.storage import photo_storage

# A file younger than this may belong to a publication whose rows are not committed yet.
DEFAULT_GRACE_SECONDS = 3600


def referenced_keys() -> set[str]:
    """The keys of every photo whose bytes are files (a pending photo's bytes are in the database)."""
    query = union_all(
        select(Photo.display_key).where(in_files(Photo.id)), select(Photo.thumb_key).where(in_files(Photo.id))
    )
    return set(db.session.scalars(query))


def move_pending_files_into_database() -> int:
    """Pending photos stored as files (from before migration 0004) move into the database; their files are
    deleted once the caller commits, unless another row still uses them. Returns how many moved."""
    storage = photo_storage()
    query = select(Photo).where(in_files(Photo.id), Photo.public.is_(False))
    moved = 0
    for photo in db.session.scalars(query).all():
        try:
            display, thumb = storage.read(photo.display_key), storage.read(photo.thumb_key)
        except (FileNotFoundError, ValueError):
            continue  # the file is gone: the moderator drops the photo at verification
        keep_pending(photo, display, thumb)
        obsolete_after_commit([photo.display_key, photo.thumb_key])
        moved += 1
    db.session.flush()
    return moved


def sweep_orphan_files(grace_seconds: int = DEFAULT_GRACE_SECONDS) -> list[str]:
    """Delete stored files that no photo row references and that are older than the grace period."""
    storage = photo_storage()
    keep = referenced_keys()
    cutoff = time.time() - grace_seconds
    removed = []
    for key in list(storage.keys(include_incoming=True)):
        if key in keep or storage.modified_at(key) > cutoff:
            continue
        storage.delete(key)
        removed.append(key)
    return removed


def purge_rejected_sightings(retention_days: int = Limits.REJECTED_RETENTION_DAYS) -> int:
    """Delete rejected sightings (and, by cascade, their photo rows) rejected more than N days ago.

    The submitter can read the reason through the receipt until then. Photo files go with the next
    orphan sweep. The moderation log keeps the event, which names no submitter and holds no content.
    """
    cutoff = datetime.now(UTC) - timedelta(days=retention_days)
    rejected_long_ago = (
        select(ModerationEvent.target_id)
        .where(
            ModerationEvent.target_type == "sighting",
            ModerationEvent.to_status == SightingStatus.REJECTED,
            ModerationEvent.created_at < cutoff,
        )
        .scalar_subquery()
    )
    result = db.session.execute(
        delete(Sighting).where(Sighting.status == SightingStatus.REJECTED, Sighting.id.in_(rejected_long_ago))
    )
    return result.rowcount
