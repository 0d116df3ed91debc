"""Photo files that follow the transaction of the rows pointing at them. Only a published photo has files
(a pending one is kept in the database: webapp/photos/pending.py).

Files are written before the commit (a row must never point at a missing file): written_for_transaction()
deletes them again if the transaction rolls back. Files a change made obsolete are deleted once it has
committed, and only if no row references them any more: identical uploads share one content-hash key, so a
file may only go once no photo row points at it.
"""

import errno
from collections.abc import Mapping

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, select, union
from sqlalchemy.exc import SQLAlchemyError

from webapp.kernel.data import transactions
from webapp.kernel.data.models import PendingPhoto, Photo
from webapp.kernel.errors import DomainError, Unavailable
from webapp.kernel.extensions import db
from webapp.photos.storage import StorageFull, photo_storage


def in_files(photo_id_column):
    """SQL: whether the photo with this id is stored as files (it has no pending row in the database)."""
    return ~exists().where(PendingPhoto.photo_id == photo_id_column)


def referenced_among(keys: list[str]) -> set[str]:
    """The keys, of those given, whose files some photo row (committed or in this transaction) still
    needs: a photo stored as files (a pending photo's bytes are in the database)."""
    if not keys:
        return set()
    query = union(
        select(Photo.display_key).where(Photo.display_key.in_(keys), in_files(Photo.id)),
        select(Photo.thumb_key).where(Photo.thumb_key.in_(keys), in_files(Photo.id)),
    )
    return set(db.session.scalars(query))


def delete_unreferenced(keys: list[str]) -> list[str]:
    """Delete the files of these keys that no photo row references; returns the keys deleted.

    When the database cannot be asked, nothing can have committed a reference since it went away, so the
    files go; a file that cannot be deleted is left to the orphan sweep."""
    try:
        still_used = referenced_among(keys)
    except SQLAlchemyError:
        still_used = set()
    storage = photo_storage()
    deleted = []
    for key in dict.fromkeys(keys):
        if key in still_used:
            continue
        try:
            storage.delete(key)
            deleted.append(key)
        except OSError:
            current_app.logger.warning("could not remove a photo file; the orphan sweep will")
    return deleted


def written_for_transaction(keys: list[str]) -> None:
    """Files written for rows of the current transaction: removed again if it rolls back. Not blindly:
    another report of the same photo may have committed a row for the same key meanwhile."""
    if keys:
        transactions.on_rollback(lambda: delete_unreferenced(list(keys)))


def obsolete_after_commit(keys: list[str]) -> None:
    """Files the current transaction stops referencing: deleted once it commits, if nothing else uses them."""
    if keys:
        transactions.after_commit(lambda: delete_unreferenced(list(keys)))


class StorageRefused(DomainError):
    status = 507
    code = "storage_full"


def store_files(files: Mapping[str, bytes]) -> list[str]:
    """Write files (key -> bytes) for the current transaction (see written_for_transaction); returns the keys
    written. Only publication writes files (webapp/photos/pending.py): a pending photo has none.

    Keys are content hashes, so a key that already exists holds the very same bytes (another report of the
    same photo): it is neither rewritten nor, on failure, deleted. A full or failing storage refuses the
    request with nothing left behind."""
    storage = photo_storage()
    written: list[str] = []
    try:
        for key, data in files.items():
            if storage.exists(key):
                continue
            storage.put(key, data)
            written.append(key)
    except OSError as error:
        for key in written:
            try:
                storage.delete(key)
            except OSError:  # the orphan sweep removes whatever is left
                current_app.logger.warning("could not remove a photo file after a failed write")
        # Backends other than the filesystem one may pass ENOSPC or EDQUOT through as a plain OSError.
        if isinstance(error, StorageFull) or error.errno in (errno.ENOSPC, errno.EDQUOT):
            current_app.logger.error("photo storage is full: a request was refused")
            raise StorageRefused(
                _("Our photo storage is full, so nothing was saved. Please try again later."), retry_after=300
            ) from None
        current_app.logger.error("photo storage failed: %s", type(error).__name__)
        raise Unavailable(
            _("We cannot store photos right now. Nothing was saved; please try again later."),
            code="storage_unavailable",
            retry_after=300,
        ) from None
    written_for_transaction(written)
    return written
