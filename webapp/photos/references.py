"""Which stored photo files rows still point at, and deleting those none does. Identical uploads share one
content-hash key, so a file may only go once no photo row references it any more."""

from flask import current_app
from sqlalchemy import select, union
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.models import Photo
from webapp.photos.storage import photo_storage


def referenced_among(keys: list[str]) -> set[str]:
    """The keys, of those given, that some photo row (committed or in this transaction) still references."""
    if not keys:
        return set()
    query = union(
        select(Photo.display_key).where(Photo.display_key.in_(keys)),
        select(Photo.thumb_key).where(Photo.thumb_key.in_(keys)),
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
