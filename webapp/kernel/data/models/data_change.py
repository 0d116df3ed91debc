"""`data_changes`: one row per statement that changed a watched table (today `cameras`), appended by a
statement-level trigger (migration 0013); the sum of `changes` and the highest id per subject are that
data's version, which the export check compares with the export files'."""

from sqlalchemy import BigInteger, Identity, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db


class DataChange(db.Model):
    __tablename__ = "data_changes"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    subject: Mapped[str] = mapped_column(Text, nullable=False)
    changes: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="1")

    __table_args__ = (Index("data_changes_subject", "subject"),)
