"""Audit logs of searches (issue 21): one `search_logs` row per agency and kind of log (its network log, its
organisation log), and one `search_log_files` row per file read into it, with its provenance and what the
import made of it. Migration 0016 explains the design."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SEARCH_LOG_KINDS, Limits, sql_in


class SearchLog(db.Model):
    """All the searches one agency's log of one kind holds, whichever files they came in: the unit every
    answer, rollup and duplicate check is scoped to (and the key the searches could be distributed on).
    `rule_version` is the version of webapp.searches.classification its rollups are classified under."""

    __tablename__ = "search_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), nullable=False
    )
    kind: Mapped[str] = mapped_column(nullable=False)
    rule_version: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    # A generated log (`make run`'s demo, the benchmark): every page that shows it says so.
    demo: Mapped[bool] = mapped_column(nullable=False, server_default=text("false"))
    # Kept by the import: the log's period and size across its files.
    first_search_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_search_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    searches: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")

    owner = relationship("Agency")
    files = relationship("SearchLogFile", back_populates="log", order_by="SearchLogFile.id")

    __table_args__ = (
        CheckConstraint(sql_in("kind", SEARCH_LOG_KINDS), name="search_log_kind_known"),
        UniqueConstraint("owner_agency_id", "kind", name="search_log_one_per_owner_and_kind"),
    )


class SearchLogFile(db.Model):
    """One file of a log as it was received: where it came from (the records request or document: title,
    URL, the day it was received), the file itself (name, format, size, SHA-256), and what the import made
    of it. `refusals` counts refused rows by reason ({"unreadable Search Time": 3}); it never holds a cell."""

    __tablename__ = "search_log_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("search_logs.id", ondelete="RESTRICT"), nullable=False)
    title: Mapped[str] = mapped_column(nullable=False)
    url: Mapped[str | None]
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    file_name: Mapped[str] = mapped_column(nullable=False)
    file_format: Mapped[str] = mapped_column(nullable=False)
    sha256: Mapped[str] = mapped_column(nullable=False)
    file_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # Rows read (header excluded), stored (new searches), known (already in the log, from this or an
    # earlier file) and refused (with `refusals`): read = stored + known + refused.
    rows_read: Mapped[int] = mapped_column(nullable=False)
    rows_stored: Mapped[int] = mapped_column(nullable=False)
    rows_known: Mapped[int] = mapped_column(nullable=False)
    rows_refused: Mapped[int] = mapped_column(nullable=False)
    refusals: Mapped[dict] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    # The period of the searches the file holds (NULL when it held none).
    first_search_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_search_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )

    log = relationship("SearchLog", back_populates="files")

    __table_args__ = (
        CheckConstraint("file_format IN ('csv', 'xlsx')", name="search_log_file_format_known"),
        CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="search_log_file_sha256"),
        CheckConstraint(
            f"char_length(title) BETWEEN 1 AND {Limits.SEARCH_LOG_TITLE_CHARS}", name="search_log_file_title"
        ),
        CheckConstraint(
            "rows_read = rows_stored + rows_known + rows_refused", name="search_log_file_rows_add_up"
        ),
        # The same bytes are one file of a log: importing them again reports the earlier import.
        UniqueConstraint("log_id", "sha256", name="search_log_file_once_per_log"),
        Index("ix_search_log_files_log", "log_id"),
    )
