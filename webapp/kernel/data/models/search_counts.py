"""The rollup the answers read instead of the searches (issue 21): per log, month (first day, UTC),
searching agency, search type and category under the log's rule version (`search_counts`, what the figures are
summed from). The import keeps it current in the statement that stores the searches; `flask searches
reclassify` rebuilds it from each log's searches (a reason x searcher rollup kept for that took a fifth of the
disk, migration 0023). `multi_network` counts the searches that reached more than one network."""

from datetime import date

from sqlalchemy import BigInteger, Date, Index, Integer, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db


class SearchCount(db.Model):
    """No unique key (migration 0023): every reader sums these rows, so a file whose month the log already
    counts adds rows beside the earlier ones instead of updating them, and the table does without a
    five-column primary key (69 MB at 17 million searches). An index on (log, month) serves the answers
    over a period; one on (log, searcher, month) those filtered by searcher
    (search_answer_counts.SEARCHER_INDEX)."""

    __tablename__ = "search_counts"

    log_id: Mapped[int] = mapped_column(Integer, nullable=False)
    month: Mapped[date] = mapped_column(Date, nullable=False)
    searcher_id: Mapped[int] = mapped_column(Integer, nullable=False)
    category: Mapped[str] = mapped_column(nullable=False)
    search_type_id: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    searches: Mapped[int] = mapped_column(BigInteger, nullable=False)
    multi_network: Mapped[int] = mapped_column(BigInteger, nullable=False)

    # The ORM needs an identity; the database keeps no unique index for it (see the class docstring).
    __mapper_args__ = {"primary_key": [log_id, month, searcher_id, category, search_type_id]}
    __table_args__ = (Index("ix_search_counts_month", "log_id", "month"),)
