"""Counting what a test left in the database."""

from sqlalchemy import text

from webapp.kernel.extensions import db


def camera_count() -> int:
    return db.session.execute(text("SELECT count(*) FROM cameras")).scalar_one()
