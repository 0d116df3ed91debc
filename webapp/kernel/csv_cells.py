"""The one way the app writes CSV: every export and every figure's CSV goes through csv_writer() (an
answer's rows through csv_with_provenance(), which neutralises each cell the same way), so a cell a
spreadsheet would run as a formula can never reach one.

OWASP's rule for CSV injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
prefixed with a single quote, which spreadsheets show as text. Numbers are written as numbers (a negative
longitude stays a number).
"""

import csv
import io
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row) -> None:
        self._writer.writerow([safe_cell(value) for value in row])


def csv_writer(buffer) -> _SafeWriter:
    """A csv.writer on `buffer` (one row per line, `\\n` endings) whose text cells are neutralised."""
    return _SafeWriter(csv.writer(buffer, lineterminator="\n"))


def plain_cell(value: Any) -> Any:
    """A value as a CSV cell of an answer: None empty, booleans as true/false, the rest as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _Lines:
    """A file for csv.writer that keeps each written line."""

    def __init__(self, lines: list[str]):
        self.write = lines.append


def _answer_cell(value: Any) -> Any:
    """safe_cell(plain_cell(value)) in one call (an answer's CSV has tens of thousands of cells)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_with_provenance(
    columns: list[str], rows: list[list], provenance: dict[str, str], note: str | None = None
) -> str:
    """An answer as CSV text: a header, then each row followed by the same provenance cells (an answer's
    sources and when it was read), so a row copied out keeps where it came from; when the file is not the
    whole answer, a last line of one cell that says so (`note`: where the rest is)."""
    header = [*columns, *provenance]
    if len(set(header)) != len(header):
        raise ValueError(f"a CSV file's columns must have unique names: {header}")
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    trailing = list(provenance.values())
    if len(columns) > 1:
        # The provenance cells are the same on every row (a sources cell can be a thousand characters):
        # written once as CSV, they are added to each row's line, so the bytes are those of writing them on
        # every row. The csv module writes a row with one write() call. (A row of one empty cell would be
        # `""`, not empty: a one-column answer keeps the plain way.)
        after = "\n"
        if trailing:
            ending = io.StringIO()
            csv_writer(ending).writerow(["", *trailing])
            after = ending.getvalue()
        lines: list[str] = []
        rows_writer = csv.writer(_Lines(lines), lineterminator="\n")
        for row in rows:
            rows_writer.writerow([value if type(value) is int else _answer_cell(value) for value in row])
        for line in lines:
            buffer.write(line[:-1])
            buffer.write(after)
    else:
        for row in rows:
            writer.writerow([*(plain_cell(value) for value in row), *trailing])
    if note:
        writer.writerow([f"# {note}"])
    return buffer.getvalue()


def csv_dict_reader(handle) -> csv.DictReader:
    """Rows of a CSV file as dicts by its header (reading needs no neutralising; the csv module stays
    imported here only, so every writer goes through csv_writer)."""
    return csv.DictReader(handle)


# What a reader raises on a file it cannot read (an unclosed quote longer than csv.field_size_limit()).
CsvError = csv.Error


# The longest cell a reader accepts (the csv module's default): past it a quote that never closes is an error,
# not one cell made of the rest of the file. The limit is process-wide and a library may raise it when it is
# imported (frictionless does, in the tests), so every reader sets it again.
CELL_CHARS_LIMIT = 131_072


def csv_row_reader(lines):
    """Rows of CSV text as lists of cells, from an iterable of lines (a quoted cell may span lines)."""
    csv.field_size_limit(CELL_CHARS_LIMIT)
    return csv.reader(lines)
