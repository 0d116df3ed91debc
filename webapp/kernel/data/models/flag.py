"""A public flag on a camera ("does not exist", "shows personal information", ...), for moderators."""

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.kernel.data.models.days import UTC_TODAY
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import FLAG_REASONS, FLAG_STATUSES, FlagStatus, Limits, sql_in


class Flag(db.Model):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="CASCADE"), nullable=False)
    reason: Mapped[str] = mapped_column(nullable=False)
    text: Mapped[str | None]
    status: Mapped[str] = mapped_column(nullable=False, server_default=FlagStatus.OPEN.value)
    # The UTC day the flag arrived, never its time (the form promises it). When a moderator closed it is in
    # the moderation log, as every moderator action is.
    flagged_on: Mapped[date] = mapped_column(Date, nullable=False, server_default=UTC_TODAY)
    # This flag hid the camera's photos when it arrived (a "personal information" flag on a camera whose
    # photos were showing): the public action's record, kept here rather than in the moderation log, whose
    # times (and the order of its ids among moderators' timed events) would say when the flag came.
    hid_photos: Mapped[bool] = mapped_column(nullable=False, server_default=text("false"))
    version: Mapped[int] = mapped_column(nullable=False, server_default="1")

    camera = relationship("Camera")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # migration 0019
    __table_args__ = (
        CheckConstraint(sql_in("reason", FLAG_REASONS), name="flag_reason_known"),
        CheckConstraint(sql_in("status", FLAG_STATUSES), name="flag_status_known"),
        CheckConstraint(f"char_length(text) <= {Limits.FLAG_TEXT_CHARS}", name="flag_text_length"),
        Index("ix_flags_open", "status", "flagged_on", "id"),
    )
