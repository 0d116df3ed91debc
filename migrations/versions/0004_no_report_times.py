"""no exact time of a report: days instead of timestamps on sightings and flags, none on photos, pending
photos inside the database, and no audit event for a public action

A person photographing a camera is probably being read by it at that moment, so the minute of a report
could name them. `sightings.created_at` becomes `reported_on` (the UTC day); `photos.created_at` goes (the
sighting's day says all); `flags.created_at` becomes `flagged_on` and `flags.resolved_at` goes (the
moderator's close event keeps that time, as for every moderator action). The events the system wrote for a
public action ("flag", and "hide_photos" when a flag hid a camera's photos) carried the flag's exact time,
and their ids interleave with the timed events of moderators: they are deleted, and what they said is kept
on the flag (`flagged_on`, `hid_photos`). `pending_photos` holds the bytes of photos not yet public, so no
file's modification time is an upload's (files already written are moved in by `flask maintenance sweep`).

The downgrade puts the columns back with midnight UTC of the day (the time of day is gone for good),
re-creates the public events from the flags, and writes the pending photos back as files.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 09:00:00

"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UTC_TODAY = sa.text("((now() AT TIME ZONE 'UTC'))::date")
PUBLIC_ACTIONS = "('flag', 'hide_photos')"


def _without_append_only_trigger(statement: str) -> None:
    """Run one statement on moderation_events with its append-only trigger off (within this migration's
    transaction only: a failure rolls the trigger's state back with everything else)."""
    op.execute("ALTER TABLE moderation_events DISABLE TRIGGER moderation_events_append_only")
    op.execute(statement)
    op.execute("ALTER TABLE moderation_events ENABLE TRIGGER moderation_events_append_only")


def upgrade():
    op.add_column("sightings", sa.Column("reported_on", sa.Date(), nullable=True))
    op.execute("UPDATE sightings SET reported_on = (created_at AT TIME ZONE 'UTC')::date")
    op.alter_column("sightings", "reported_on", nullable=False, server_default=UTC_TODAY)
    op.drop_column("sightings", "created_at")

    op.drop_column("photos", "created_at")

    op.add_column("flags", sa.Column("flagged_on", sa.Date(), nullable=True))
    op.add_column(
        "flags", sa.Column("hid_photos", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )
    op.execute("UPDATE flags SET flagged_on = (created_at AT TIME ZONE 'UTC')::date")
    # The system wrote "flag <id>: personal information" as the reason of the hide_photos event.
    op.execute(
        """
        UPDATE flags SET hid_photos = true
        WHERE EXISTS (
            SELECT 1 FROM moderation_events e
            WHERE e.actor_id IS NULL AND e.action = 'hide_photos' AND e.target_type = 'camera'
              AND e.target_id = flags.camera_id AND e.reason LIKE 'flag ' || flags.id || ':%'
        )
        """
    )
    op.alter_column("flags", "flagged_on", nullable=False, server_default=UTC_TODAY)
    op.drop_index("ix_flags_open", table_name="flags")
    op.drop_column("flags", "created_at")
    op.drop_column("flags", "resolved_at")
    op.create_index("ix_flags_open", "flags", ["status", "flagged_on", "id"])

    _without_append_only_trigger(
        f"DELETE FROM moderation_events WHERE actor_id IS NULL AND action IN {PUBLIC_ACTIONS}"
    )

    op.create_table(
        "pending_photos",
        sa.Column("photo_id", sa.BigInteger(), nullable=False),
        sa.Column("display", sa.LargeBinary(), nullable=False),
        sa.Column("thumb", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["photo_id"], ["photos.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("photo_id"),
    )
    # JPEG bytes do not compress: store them out of line without trying.
    op.execute("ALTER TABLE pending_photos ALTER COLUMN display SET STORAGE EXTERNAL")
    op.execute("ALTER TABLE pending_photos ALTER COLUMN thumb SET STORAGE EXTERNAL")


def _upload_dir() -> Path | None:
    """The app's UPLOAD_DIR when the migration runs inside it (`flask db downgrade`), else None."""
    try:
        from flask import current_app

        return Path(current_app.config["UPLOAD_DIR"])
    except (ImportError, RuntimeError, KeyError):
        return None


def _write_pending_photos_as_files() -> None:
    """The schema before 0004 expects every photo's files on disk: write the pending ones there."""
    root = _upload_dir()
    rows = op.get_bind().execute(
        sa.text(
            "SELECT p.display_key, p.thumb_key, pp.display, pp.thumb FROM pending_photos pp "
            "JOIN photos p ON p.id = pp.photo_id"
        )
    )
    for row in rows:
        if root is None:
            raise RuntimeError("downgrading past 0004 with pending photos needs the app's UPLOAD_DIR")
        for key, data in ((row.display_key, row.display), (row.thumb_key, row.thumb)):
            path = root / key
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)


def downgrade():
    _write_pending_photos_as_files()
    op.drop_table("pending_photos")

    midnight_of = "({day}::timestamp AT TIME ZONE 'UTC')"
    op.add_column("flags", sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("flags", sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(f"UPDATE flags SET created_at = {midnight_of.format(day='flagged_on')}")
    op.execute(
        """
        UPDATE flags SET resolved_at = closed.at
        FROM (
            SELECT target_id, max(created_at) AS at FROM moderation_events
            WHERE target_type = 'flag' AND action IN ('resolve', 'dismiss') GROUP BY target_id
        ) AS closed
        WHERE closed.target_id = flags.id AND flags.status <> 'open'
        """
    )
    op.execute(
        f"""
        INSERT INTO moderation_events (actor_id, created_at, action, target_type, target_id, to_status, reason)
        SELECT NULL, {midnight_of.format(day="flagged_on")}, 'flag', 'flag', id, 'open', reason
        FROM flags ORDER BY id
        """
    )
    op.execute(
        f"""
        INSERT INTO moderation_events (actor_id, created_at, action, target_type, target_id, reason)
        SELECT NULL, {midnight_of.format(day="flagged_on")}, 'hide_photos', 'camera', camera_id,
               'flag ' || id || ': personal information'
        FROM flags WHERE hid_photos ORDER BY id
        """
    )
    op.alter_column("flags", "created_at", nullable=False, server_default=sa.text("now()"))
    op.drop_index("ix_flags_open", table_name="flags")
    op.drop_column("flags", "hid_photos")
    op.drop_column("flags", "flagged_on")
    op.create_index("ix_flags_open", "flags", ["status", "created_at"])

    op.add_column("photos", sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("sightings", sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(f"UPDATE sightings SET created_at = {midnight_of.format(day='reported_on')}")
    op.execute("UPDATE photos SET created_at = s.created_at FROM sightings s WHERE s.id = photos.sighting_id")
    op.alter_column("photos", "created_at", nullable=False, server_default=sa.text("now()"))
    op.alter_column("sightings", "created_at", nullable=False, server_default=sa.text("now()"))
    op.drop_column("sightings", "reported_on")
