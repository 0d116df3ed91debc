"""`flask moderation suggest-boxes`: run the face and plate detector ahead of review, so that a moderator
opening a sighting does not wait for it (about a third of a second per photo)."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.kernel.data.models import Photo, Sighting
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SightingStatus
from webapp.photos.redaction import ensure_suggestions

cli = AppGroup("moderation", help="Moderation jobs.")


@cli.command("suggest-boxes")
@click.option("--limit", default=500, show_default=True, help="Photos to look at in this run.")
def suggest_boxes_command(limit: int) -> None:
    """Suggest blur boxes for photos of pending sightings that have none yet (oldest first)."""
    query = (
        select(Photo)
        .join(Sighting, Sighting.id == Photo.sighting_id)
        .where(Sighting.status == SightingStatus.PENDING, Photo.suggested_boxes.is_(None))
        .order_by(Photo.id)
        .limit(limit)
    )
    photos = db.session.scalars(query).all()
    boxes = 0
    for photo in photos:
        boxes += len(ensure_suggestions(photo))
        commit()  # one photo at a time: a long run keeps what it has done
    click.echo(f"suggest-boxes: {len(photos)} photos looked at, {boxes} boxes suggested")
