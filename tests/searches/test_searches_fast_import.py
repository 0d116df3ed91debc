"""The import's fast way (webapp.searches.fast_csv: pyarrow reads the kept columns, numpy numbers the repeats,
COPY straight into searches) stores exactly what the row-by-row way stores, refuses the same rows for the same
reasons, and gives way to it for a file it does not take."""

import pytest
from sqlalchemy import text

from tests.support.agencies import make_agency
from tests.support.search_logs import HEADER, import_file, search_row, write_csv
from webapp.kernel.extensions import db
from webapp.searches import fast_csv, importer
from webapp.searches.log_files import LogReader

PLATE = "7XYZ123"


def tricky_rows() -> list[dict]:
    """Repeats without IDs, odd times and numbers, refusals, empty windows, moderation values."""
    rows = [search_row(org="Tulsa OK PD", search_type="lookup", plate=plate) for plate in ("A1", "B2", "C3")]
    rows += [
        search_row(org=" Tulsa OK PD ", reason=f"stolen car plate {PLATE}"),
        search_row(reason="ICE detainer", at="2025-11-20T10:00:00Z", frame=""),
        search_row(reason="ICE detainer", at="11/20/2025, 10:00:00 am UTC", frame=""),
        search_row(reason="theft", at="2/3/2025, 1:02 PM UTC", networks="1,204"),
        search_row(reason="theft", at="yesterday"),
        search_row(reason="theft", at=""),
        search_row(reason="theft", frame="11/07/2025, 09:53:36 AM UTC - 11/14/2025, 09:53:36 AM UTC"),
        search_row(reason="theft", frame="last week"),
        search_row(reason="theft", networks="-3"),
        search_row(reason="theft", moderation="warn"),
        search_row(reason="theft", moderation="maybe"),
        search_row(reason="", org="HSI Houston TX", at="02/29/2024, 12:00:00 PM UTC"),
        search_row(reason="***", at="02/29/2025, 12:00:00 PM UTC"),
        search_row(reason="protest", at="12/31/2025, 11:59:59 PM UTC", search_type="convoy"),
    ]
    # Enough readable rows that the refused ones stay under the share that refuses a file.
    rows += [
        search_row(
            org=f"Agency {n % 7} TX PD",
            reason=f"burglary case {n % 5}",
            at=f"11/{n % 28 + 1:02d}/2025, {n % 12 + 1:02d}:0{n % 3}:00 {'AP'[n % 2]}M UTC",
            networks=n % 4 + 1,
        )
        for n in range(250)
    ]
    return rows * 2


def stored_rows() -> list[tuple]:
    return db.session.execute(
        text(
            """
            SELECT s.log_id, s.row_number, s.searched_at, s.window_start_s, s.window_end_s, s.networks,
                   s.devices, s.moderation, r.reason, ss.name, t.name, s.occurrence
            FROM searches s JOIN search_reasons r ON r.id = s.reason_id
            JOIN search_searchers ss ON ss.id = s.searcher_id JOIN search_types t ON t.id = s.search_type_id
            ORDER BY s.log_id, s.row_number
            """
        )
    ).all()


def both_ways(tmp_path, monkeypatch, rows: list[dict], header=HEADER) -> tuple[list, list, tuple, tuple]:
    """The rows stored and the summaries of the fast way and of the row-by-row way, one log each."""
    path = write_csv(tmp_path / "log.csv", rows, header=header)
    read = []
    monkeypatch.setattr(
        importer,
        "read_csv_columns",
        lambda *args, **kwargs: read.append(fast_csv.read_csv_columns(*args, **kwargs)) or read[-1],
    )
    fast = import_file(path, make_agency("Fast TX PD", state="TX"))
    assert read[0] is not None  # the fast way read it
    monkeypatch.setattr(importer, "read_csv_columns", lambda *args, **kwargs: None)
    slow = import_file(path, make_agency("Slow TX PD", state="TX"))
    found = stored_rows()
    fast_log = found[0].log_id
    summaries = tuple((s.rows_read, s.stored, s.known, s.refused, s.refusals) for s in (fast, slow))
    return (
        [row[1:] for row in found if row.log_id == fast_log],
        [row[1:] for row in found if row.log_id != fast_log],
        *summaries,
    )


def test_the_fast_way_reads_a_file_as_the_row_by_row_reader_does(app_context, tmp_path):
    path = write_csv(tmp_path / "log.csv", tricky_rows())
    reader = LogReader(path, needs_org_name=True)
    columns = fast_csv.read_csv_columns(
        path, reader.read_layout(), org_code=hash, reason_code=hash, type_code=hash
    )
    assert columns is not None
    rows = list(reader)
    assert columns.rows_read == reader.rows_read == 534
    assert columns.refusals.counts == reader.refusals.counts
    assert columns.refusals.examples == reader.refusals.examples
    assert list(columns.row_number) == [row.row_number for row in rows]
    assert list(columns.searched_at) == [row.searched_at for row in rows]
    assert list(columns.networks) == [row.networks for row in rows]
    assert [None if d == -1 else d for d in columns.devices] == [row.devices for row in rows]
    assert list(columns.moderation) == [row.moderation for row in rows]
    assert list(columns.searcher) == [hash(row.org_name) for row in rows]
    assert list(columns.reason) == [hash(row.reason) for row in rows]
    starts = [None if s == fast_csv.NULL_OFFSET else s for s in columns.window_start]
    assert starts == [row.window_start - row.searched_at if row.window_start else None for row in rows]


def test_the_fast_way_stores_what_the_row_by_row_way_stores(app_context, tmp_path, monkeypatch):
    fast, slow, fast_summary, slow_summary = both_ways(tmp_path, monkeypatch, tricky_rows())
    assert fast_summary == slow_summary
    assert fast_summary[:4] == (534, 522, 0, 12)
    assert fast == slow
    # The three lookups alike are numbered 1, 2, 3 and their repeats in the second half of the file too.
    assert sorted(row[-1] for row in fast if row[-2] == "lookup") == [1, 2, 3, 4, 5, 6]
    assert PLATE not in str(fast)


def test_repeated_ids_are_one_search_the_fast_way_too(app_context, tmp_path, monkeypatch):
    rows = [search_row(f"id-{n % 3}", search_type="lookup") for n in range(9)]
    rows += [search_row("Z-last"), search_row("a-first"), search_row("Z-last")]
    fast, slow, fast_summary, slow_summary = both_ways(tmp_path, monkeypatch, rows)
    assert fast_summary == slow_summary and fast_summary[:3] == (12, 5, 7)
    assert fast == slow
    assert [row[-1] for row in fast] == [1, 2, 3, 1, 2]


def test_a_file_the_fast_way_does_not_take_is_read_row_by_row(app_context, tmp_path):
    owner = make_agency("Aubrey TX PD", state="TX")
    rows = [search_row(str(n), at=f"11/14/2025, 09:53:{n:02d} AM UTC") for n in range(30)]
    path = write_csv(tmp_path / "ragged.csv", rows)
    with path.open("a", encoding="utf-8") as file:
        file.write("only,three,cells\n")  # a short row: pyarrow refuses it, LogReader pads it
    reader = LogReader(path, needs_org_name=True)
    layout = reader.read_layout()
    assert fast_csv.read_csv_columns(path, layout, org_code=hash, reason_code=hash, type_code=hash) is None
    summary = import_file(path, owner)
    assert (summary.rows_read, summary.stored, summary.refused) == (31, 30, 1)


@pytest.mark.parametrize("existing", [False, True])
def test_a_file_whose_period_the_log_already_holds_goes_through_the_duplicate_check(
    app_context, tmp_path, existing
):
    owner = make_agency("Aubrey TX PD", state="TX")
    rows = [search_row(str(n), at=f"11/14/2025, 09:53:{n:02d} AM UTC") for n in range(10)]
    if existing:
        import_file(write_csv(tmp_path / "first.csv", rows[:4]), owner)
    summary = import_file(write_csv(tmp_path / "all.csv", rows, header=HEADER[1:]), owner)
    assert (summary.stored, summary.known) == ((6, 4) if existing else (10, 0))
    assert db.session.execute(text("SELECT count(*) FROM searches")).scalar() == 10
