"""The searches answers' narrow rollups (migration 0017), kept from `search_counts` by
statement-level triggers: per log, month, category and search type (`search_month_counts`), and per log,
searcher and category (`search_searcher_counts`). The answers read these instead of `search_counts`."""

from datetime import date

from sqlalchemy import BigInteger, Date, Index, Integer, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.data.models.search_counts import SearchCount
from webapp.kernel.extensions import db


class SearchMonthCount(db.Model):
    __tablename__ = "search_month_counts"

    log_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(primary_key=True)
    search_type_id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    searches: Mapped[int] = mapped_column(BigInteger, nullable=False)
    multi_network: Mapped[int] = mapped_column(BigInteger, nullable=False)


class SearchSearcherCount(db.Model):
    __tablename__ = "search_searcher_counts"

    log_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    searcher_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(primary_key=True)
    searches: Mapped[int] = mapped_column(BigInteger, nullable=False)
    multi_network: Mapped[int] = mapped_column(BigInteger, nullable=False)

    __table_args__ = (Index("ix_search_searcher_counts_category", "category", "log_id", "searcher_id"),)


class SearchSearcherMonth(db.Model):
    """Per log, month and searcher (migration 0021): what the answers over a period list searchers from."""

    __tablename__ = "search_searcher_months"

    log_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    searcher_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    searches: Mapped[int] = mapped_column(BigInteger, nullable=False)
    immigration: Mapped[int] = mapped_column(BigInteger, nullable=False)
    multi_network: Mapped[int] = mapped_column(BigInteger, nullable=False)


# The answers filtered by one searcher read search_counts through this index (declared here, beside the
# rollups it serves; search_counts itself belongs to the import).
SEARCHER_INDEX = Index(
    "ix_search_counts_searcher",
    SearchCount.__table__.c.log_id,
    SearchCount.__table__.c.searcher_id,
    SearchCount.__table__.c.month,
)
