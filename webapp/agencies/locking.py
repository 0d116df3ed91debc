"""Locking the agency, link or relation a moderator changes (SELECT ... FOR UPDATE, fresh from the
database), so that two moderators acting at once are serialised and the second sees the first's version."""

from sqlalchemy import select

from webapp.kernel.extensions import db


def locked(model, condition):
    """The one row of `model` matching `condition`, locked for this transaction; None when there is none."""
    return db.session.scalar(
        select(model).where(condition).with_for_update().execution_options(populate_existing=True)
    )
