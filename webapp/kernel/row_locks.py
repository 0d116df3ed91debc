"""Locking the row a moderator changes (SELECT ... FOR UPDATE, read fresh from the database), so that two
moderators acting at once are serialised and the second sees what the first did."""

from sqlalchemy import select

from webapp.kernel.extensions import db


def locked(model, row_id: int):
    """The row of `model` with this id, locked for this transaction; None when there is none."""
    return db.session.scalar(
        select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
    )
