"""One row per search an audit log recorded (`searches`), and the vendor's search types (`search_types`).

Nothing personal is in a row: no officer's name, plate, case number, filter or text prompt (the import drops
those cells while it reads the file, webapp.searches.log_files). A row is cited by its file and row number
(`file_id`, `row_number`: the file's data row, 1 = the first row after the header). The row is kept narrow
(about 76 bytes with its header) because a city's log holds 17 million of them: ids are 4-byte integers, the
searched window is two offsets in seconds from the search time, the type and moderation are small codes."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SEARCH_MODERATIONS


class SearchType(db.Model):
    """A `Search Type` as the vendor writes it ("search", "lookup - Mobile", "convoy", ...)."""

    __tablename__ = "search_types"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    name: Mapped[str] = mapped_column(nullable=False, unique=True)

    __table_args__ = (CheckConstraint("char_length(name) BETWEEN 0 AND 100", name="search_type_name_length"),)


class Search(db.Model):
    """One search. The table has no primary key or B-tree index of its own, on purpose: rows are appended
    one file at a time, so one log's rows lie together in time order, and a BRIN index on (log, time, file)
    finds a log's month or a file's rows by reading a few block ranges. The duplicate check (the import's
    anti-join on every stored cell and `occurrence`) reads those same ranges. Answers read the rollups
    (search_counts), never this table, except to list the rows behind a figure; a new rule version reads a
    log's rows once to count them again (webapp.searches.reclassification).

    `occurrence` numbers the rows of one file that share every stored cell (automatic lookups of several
    plates in one second look alike once the plate is dropped), by the vendor's search ID where the file has
    one: webapp.searches.importer explains why this recognises the same search again in any file or
    format."""

    __tablename__ = "searches"

    # Aligned widest first so that no padding is stored between columns.
    searched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # No foreign keys: five checks per row would cost more than the rest of a 17-million-row import. The
    # importer writes ids it read or created in the same transaction (search_logs, search_log_files,
    # search_searchers, search_reasons, search_types).
    log_id: Mapped[int] = mapped_column(Integer, nullable=False)
    file_id: Mapped[int] = mapped_column(Integer, nullable=False)
    row_number: Mapped[int] = mapped_column(Integer, nullable=False)
    searcher_id: Mapped[int] = mapped_column(Integer, nullable=False)
    reason_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # The searched window (`Time Frame`) as seconds from `searched_at` (start usually negative); NULL when
    # the file gives none.
    window_start_s: Mapped[int | None] = mapped_column(Integer)
    window_end_s: Mapped[int | None] = mapped_column(Integer)
    # `Total Devices Searched`: -1 when the file has no such column (most network logs), not NULL: a NULL
    # gives the row a null bitmap, 8 bytes more with alignment (migration 0023). Readers show -1 as none.
    devices: Mapped[int] = mapped_column(Integer, nullable=False)
    networks: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    occurrence: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    search_type_id: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    # Index into vocabulary.SEARCH_MODERATIONS ("" blank, allow, warn, block).
    moderation: Mapped[int] = mapped_column(SmallInteger, nullable=False)

    # The ORM needs an identity; the database needs no index for it (see the class docstring).
    __mapper_args__ = {"primary_key": [file_id, row_number]}
    __table_args__ = (
        CheckConstraint("networks >= 0 AND devices >= -1", name="search_counts_positive"),
        CheckConstraint("occurrence >= 1 AND row_number >= 1", name="search_occurrence_and_row"),
        CheckConstraint(
            f"moderation BETWEEN 0 AND {len(SEARCH_MODERATIONS) - 1}", name="search_moderation_known"
        ),
        Index(
            "brin_searches_log_time_file",
            "log_id",
            "searched_at",
            "file_id",
            postgresql_using="brin",
            postgresql_with={"pages_per_range": 16},
        ),
    )
