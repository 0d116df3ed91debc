"""The moderation log: who did what to which sighting, camera, photo, flag or user. Append-only
(a database trigger refuses UPDATE and DELETE)."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db

TARGET_TYPES = ("sighting", "camera", "photo", "flag", "user")


class ModerationEvent(db.Model):
    __tablename__ = "moderation_events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    action: Mapped[str] = mapped_column(nullable=False)
    target_type: Mapped[str] = mapped_column(nullable=False)
    target_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    from_status: Mapped[str | None]
    to_status: Mapped[str | None]
    reason: Mapped[str | None]

    actor = relationship("User")

    __table_args__ = (
        CheckConstraint(
            "target_type IN ('sighting', 'camera', 'photo', 'flag', 'user')", name="moderation_target_known"
        ),
        Index("ix_moderation_events_target", "target_type", "target_id", "created_at"),
    )
