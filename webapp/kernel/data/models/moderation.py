"""The audit log's rows: who did what to which sighting, camera, photo, flag or user, and which fields it
changed. Append-only (a database trigger refuses UPDATE and DELETE); written by webapp.kernel.data.audit."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AUDIT_ACTIONS, sql_in

TARGET_TYPES = (
    "sighting", "camera", "photo", "flag", "user", "agency", "sharing", "operator_link", "search_log_file",
)  # fmt: skip


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
    # [{"field": "vendor", "from": "unknown", "to": "flock-safety"}, ...]: what the action changed, so a
    # correction can be reviewed and reverted (NULL when it changed no field).
    changes: Mapped[list | None] = mapped_column(JSONB(none_as_null=True))

    actor = relationship("User")

    @property
    def when_text(self) -> str:
        """To the minute: a moderator's own action keeps its time (staff, not the public)."""
        return self.created_at.strftime("%Y-%m-%d %H:%M")

    __table_args__ = (
        CheckConstraint(sql_in("target_type", TARGET_TYPES), name="moderation_target_known"),
        CheckConstraint(sql_in("action", AUDIT_ACTIONS), name="moderation_action_known"),
        Index("ix_moderation_events_target", "target_type", "target_id", "created_at"),
    )
