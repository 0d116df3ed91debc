"""A public flag on a camera ("does not exist", "shows personal information", ...), for moderators."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import FLAG_REASONS, FLAG_STATUSES, FlagStatus, Limits, sql_in


class Flag(db.Model):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="CASCADE"), nullable=False)
    reason: Mapped[str] = mapped_column(nullable=False)
    text: Mapped[str | None]
    status: Mapped[str] = mapped_column(nullable=False, server_default=FlagStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(nullable=False, server_default="1")

    camera = relationship("Camera")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(sql_in("reason", FLAG_REASONS), name="flag_reason_known"),
        CheckConstraint(sql_in("status", FLAG_STATUSES), name="flag_status_known"),
        CheckConstraint(f"char_length(text) <= {Limits.FLAG_TEXT_CHARS}", name="flag_text_length"),
        Index("ix_flags_open", "status", "created_at"),
    )
