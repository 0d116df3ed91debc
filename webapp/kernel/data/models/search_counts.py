"""The rollup the answers read instead of the searches (issue 21): per log, month (first day, UTC),
searching agency, search type and category under the log's rule version (`search_counts`, what the figures are
summed from). The import keeps it current in the statement that stores the searches; `flask searches
reclassify` rebuilds it from each log's searches (a reason x searcher rollup kept for that took a fifth of the
disk, migration 0023). `multi_network` counts the searches that reached more than one network."""

from datetime import date

from sqlalchemy import BigInteger, Date, Integer, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db


class SearchCount(db.Model):
    __tablename__ = "search_counts"

    log_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    searcher_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(primary_key=True)
    search_type_id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    searches: Mapped[int] = mapped_column(BigInteger, nullable=False)
    multi_network: Mapped[int] = mapped_column(BigInteger, nullable=False)
