"""Housekeeping that keeps storage and the database honest: orphan photo files left by an interrupted
upload, and rejected sightings past their retention period."""

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, union_all

from webapp.kernel.extensions import db
from webapp.kernel.models import ModerationEvent, Photo, Sighting
from webapp.kernel.vocabulary import Limits, SightingStatus
from webapp.photos.storage import photo_storage

# A file younger than this may belong to an upload whose rows are not committed yet.
DEFAULT_GRACE_SECONDS = 3600


def referenced_keys() -> set[str]:
    query = union_all(select(Photo.display_key), select(Photo.thumb_key))
    return set(db.session.scalars(query))


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
