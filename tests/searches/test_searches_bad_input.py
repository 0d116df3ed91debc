"""Bad audit log files (issue 21, item 7): each is refused with a message naming the problem, and nothing of
it is imported, not even the rows read before the problem showed. Refusal messages never quote a cell."""

import zipfile

import pytest
from sqlalchemy import text

from tests.support.agencies import make_agency
from tests.support.search_logs import HEADER, search_row, write_csv, write_xlsx
from webapp.kernel.extensions import db
from webapp.searches import log_files
from webapp.searches.cli import cli
from webapp.searches.log_files import MAX_LINE_CHARS

PLATE = "9QZK417"


@pytest.fixture
def import_refused(app_context, runner):
    make_agency("Aubrey TX PD", state="TX")

    def run(path):
        result = runner.invoke(
            cli,
            ["import", str(path), "--kind", "network", "--agency", "Aubrey TX PD", "--title", "Request",
             "--received", "2025-12-01"],
        )  # fmt: skip
        assert result.exit_code == 1, result.output
        assert "refused, nothing imported" in result.output
        assert PLATE not in result.output
        for table in (
            "search_log_files",
            "searches",
            "search_reasons",
            "search_counts",
            "search_searcher_months",
        ):
            assert db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table  # noqa: S608
        return result.output

    return run


def test_a_csv_with_no_reason_column(import_refused, tmp_path):
    header = tuple(column for column in HEADER if column != "Reason")
    output = import_refused(write_csv(tmp_path / "no_reason.csv", [search_row(plate=PLATE)], header=header))
    assert "This audit log has no Reason column" in output


def test_a_network_log_with_no_org_name(import_refused, tmp_path):
    header = tuple(column for column in HEADER if column != "Org Name")
    output = import_refused(write_csv(tmp_path / "no_org.csv", [search_row()], header=header))
    assert "no Org Name column" in output


def test_a_file_that_is_not_an_audit_log(import_refused, tmp_path):
    path = tmp_path / "cities.csv"
    path.write_text(f"city,population,plate\nAubrey,7000,{PLATE}\n", encoding="utf-8")
    assert "This is not an audit log: its first row names none of the columns" in import_refused(path)


def test_an_empty_file(import_refused, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "The file is empty" in import_refused(empty)


def test_a_header_without_rows(import_refused, tmp_path):
    assert "has a header and no rows" in import_refused(write_csv(tmp_path / "header_only.csv", []))


def test_an_xlsx_zip_bomb_is_refused_before_anything_unpacks_it(import_refused, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * (1 << 20)
            for _ in range(64):
                sheet.write(chunk)
    assert path.stat().st_size < 1 << 20
    assert "The XLSX is a zip bomb: xl/worksheets/sheet1.xml would unpack" in import_refused(path)


def test_an_xlsx_larger_than_the_memory_allows(import_refused, tmp_path, monkeypatch):
    monkeypatch.setattr(log_files, "XLSX_MAX_UNPACKED_BYTES", 2048)
    path = write_xlsx(tmp_path / "large.xlsx", [search_row(str(n), plate=PLATE) for n in range(50)])
    assert "more than the 0 MB accepted: export the log as CSV instead" in import_refused(path)


def test_a_zip_that_is_not_a_workbook(import_refused, tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a sheet")
    assert "The XLSX has no worksheet" in import_refused(path)


def test_two_gigabytes_of_binary_garbage(import_refused, tmp_path):
    path = tmp_path / "garbage.csv"
    with path.open("wb") as file:  # sparse: 2 GB long, nothing written but a few bytes
        file.write(b"\x8f\x00garbage")
        file.truncate(2 * 1024**3)
    assert "the file is binary" in import_refused(path)


def test_two_gigabytes_of_text_without_a_line_break(import_refused, tmp_path):
    path = tmp_path / "one_line.csv"
    with path.open("wb") as file:
        file.write(b"A" * (MAX_LINE_CHARS * 2))
        file.seek(2 * 1024**3 - 1)
        file.write(b"A")
    assert "no line break in its first 64 KB" in import_refused(path)


def test_a_line_too_long_in_the_middle_of_a_log_leaves_nothing_imported(import_refused, tmp_path):
    path = write_csv(tmp_path / "long_line.csv", [search_row(str(n)) for n in range(300)])
    with path.open("a", encoding="utf-8") as file:
        file.write(f"x,{PLATE}," + "y" * MAX_LINE_CHARS + "\n")
    assert "a line is longer than 65,536 characters" in import_refused(path)


def test_a_quote_that_never_ends(import_refused, tmp_path):
    path = write_csv(tmp_path / "quote.csv", [search_row("1")])
    with path.open("a", encoding="utf-8") as file:
        file.write(f'2,***,Tulsa OK PD,3,"never closed {PLATE}\n' + "more text\n" * 10)
    # The open quote swallows the rest of the file into one cell: that row has no Search Time.
    assert "1 of 2 rows cannot be read, more than 5%" in import_refused(path)


def test_a_quote_that_never_ends_in_a_long_file(import_refused, tmp_path):
    path = write_csv(tmp_path / "quote.csv", [search_row("1")])
    with path.open("a", encoding="utf-8") as file:
        file.write(f'2,***,Tulsa OK PD,3,"never closed {PLATE}\n' + ("y" * 60 + "\n") * 5000)
    assert "The CSV cannot be read at line" in import_refused(path)


def test_unreadable_dates(import_refused, tmp_path):
    rows = [search_row(str(n), at="14.11.2025 9h53", plate=PLATE) for n in range(20)]
    rows[0]["Search Time"] = "2025-13-45 99:99:99"
    output = import_refused(write_csv(tmp_path / "dates.csv", rows))
    assert "20 of 20 rows cannot be read, more than 5%; nothing was imported" in output
    assert "unreadable Search Time: 20 rows (rows 1, 2, 3, 4, 5, ...)" in output


def test_a_row_of_ten_thousand_columns_after_good_rows(import_refused, tmp_path):
    path = write_csv(tmp_path / "wide.csv", [search_row(str(n)) for n in range(500)])
    with path.open("a", encoding="utf-8") as file:
        file.write(PLATE + "," * 9_999 + "\n")
    assert "Row 502 has 10,000 cells; an audit log has at most 200 columns" in import_refused(path)


def test_a_header_of_ten_thousand_columns(import_refused, tmp_path):
    path = tmp_path / "wide_header.csv"
    path.write_text("Reason," + ",".join(["c"] * 9_999) + "\n", encoding="utf-8")
    assert "Row 1 has 10,000 cells" in import_refused(path)
