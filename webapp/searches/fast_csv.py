"""Reading a well-formed CSV audit log at C speed (pyarrow's streaming CSV reader and numpy), with the same
result as webapp.searches.log_files' row-by-row reader, which stays the reader of XLSX files and of any CSV
this one does not take.

Only the kept columns are converted (`include_columns`): pyarrow splits every line into cells in C, but the
cells of Name, License Plate, Case #, Filters, Text Prompt and of any unknown column are never decoded, never
become Python or Arrow values, and are gone with the parser's block buffer. Cells that repeat (searching
agency, reason, search type, moderation) are dictionary-encoded per block and handled once per distinct
value; the vendor's time format (`11/14/2025, 09:53:36 AM UTC`, and two of them on two lines in Time Frame) is
parsed with vectorised arithmetic; any other cell goes through log_files' own functions, one row at a time, so
the rows refused and their reasons are the same.

`read_csv_columns` returns None (the caller then reads the file with LogReader) when the file is not simple:
a header that spans lines, rows of unequal width, bytes that are not UTF-8 in a kept column, a row whose kept
cells are all empty (LogReader skips such a row unless another cell holds something; only it sees them all),
a kept cell longer than log_files.MAX_LINE_CHARS, or more than MAX_ROWS rows (the columns of one file are held
in memory, about 120 bytes a row with its search IDs: MAX_ROWS bounds that near 240 MB; a larger file streams
through LogReader).
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from webapp.searches.log_files import (
    _DAYS_IN_MONTH,
    _MODERATION_CODES,
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    MAX_NETWORKS,
    Layout,
    Refusals,
    _whole_number,
    parse_time,
    parse_time_frame,
)

MAX_ROWS = 2_000_000
BLOCK_BYTES = 16 << 20
_WHOLE = r"^\d{1,9}$"


class NotSimple(Exception):
    """The file needs the row-by-row reader."""


@dataclass
class Columns:
    """A file's searches as columns (rows refused already left out): times in seconds since 1970, window
    offsets from the search time, local ids of searchers, reasons and types (the caller's numbering)."""

    row_number: np.ndarray
    searched_at: np.ndarray
    window_start: np.ndarray  # offsets; NULL_OFFSET where the cell was empty
    window_end: np.ndarray
    devices: np.ndarray  # -1 where the file has no such cell
    networks: np.ndarray
    moderation: np.ndarray
    searcher: np.ndarray
    reason: np.ndarray
    search_type: np.ndarray
    search_ids: pa.ChunkedArray | None
    rows_read: int = 0
    refusals: Refusals = field(default_factory=Refusals)


NULL_OFFSET = np.iinfo(np.int64).min


def _days_from_civil(year, month, day):
    """log_files._days_from_civil over numpy arrays."""
    year = year - (month <= 2)
    era = np.floor_divide(year, 400)
    year_of_era = year - era * 400
    day_of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


# The vendor's form, byte by byte: "MM/DD/YYYY, HH:MM:SS AM UTC" (D: a digit, A: A or P).
_VENDOR_FORM = "DD/DD/DDDD, DD:DD:DD AM UTC"
_DIGITS = np.array([index for index, mark in enumerate(_VENDOR_FORM) if mark == "D"])
_LITERALS = np.array([index for index, mark in enumerate(_VENDOR_FORM) if mark not in "DA"])
_LITERAL_BYTES = np.frombuffer(_VENDOR_FORM.encode(), dtype=np.uint8)[_LITERALS]
_HALF = _VENDOR_FORM.index("A")


def _fixed_width(cells: pa.Array, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The bytes of the cells exactly `width` bytes long as a matrix (one row per such cell), and which cells
    those are. Read from the string array's own buffers: no Python string is made."""
    cells = cells.cast(pa.large_string()) if cells.type != pa.large_string() else cells
    _validity, offsets_buffer, data_buffer = cells.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[cells.offset : cells.offset + len(cells) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    fits = np.diff(offsets) == width
    return data[offsets[:-1][fits, None] + np.arange(width)], fits


def _vendor_seconds(matrix: np.ndarray, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since 1970 of the vendor-form times at `offset` in each row of a byte matrix, and which rows
    hold one (form and ranges as log_files.parse_time checks them)."""
    part = matrix[:, offset : offset + len(_VENDOR_FORM)]
    digits = part[:, _DIGITS].astype(np.int64) - ord("0")
    half = part[:, _HALF]
    form = (
        ((digits >= 0) & (digits <= 9)).all(axis=1)
        & (part[:, _LITERALS] == _LITERAL_BYTES).all(axis=1)
        & ((half == ord("A")) | (half == ord("P")))
    )
    number = digits * np.array([10, 1] * 2 + [1000, 100, 10, 1] + [10, 1] * 3)
    month, day = number[:, 0] + number[:, 1], number[:, 2] + number[:, 3]
    year = number[:, 4:8].sum(axis=1)
    hour, minute, second = (
        number[:, 8] + number[:, 9],
        number[:, 10] + number[:, 11],
        number[:, 12] + number[:, 13],
    )
    month_days = np.asarray(_DAYS_IN_MONTH)[np.clip(month, 1, 12) - 1]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    valid = (
        form
        & (year >= EARLIEST_YEAR)
        & (year <= LATEST_YEAR)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= month_days)
        & ~((month == 2) & (day == 29) & ~leap)
        & (hour >= 1)
        & (hour <= 12)
        & (minute <= 59)
        & (second <= 59)
    )
    hour = hour % 12 + np.where(half == ord("P"), 12, 0)
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    return np.where(valid, seconds, 0), valid


def _times(cells: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(seconds, readable) of Search Time cells: vectorised for the vendor's form, parse_time otherwise."""
    matrix, fits = _fixed_width(cells, len(_VENDOR_FORM))
    seconds, readable = np.zeros(len(cells), dtype=np.int64), np.zeros(len(cells), dtype=bool)
    seconds[fits], readable[fits] = _vendor_seconds(matrix)
    for index in np.flatnonzero(~readable):
        value = parse_time(cells[int(index)].as_py())
        if value is not None:
            seconds[index], readable[index] = value, True
    return seconds, readable


def _frames(cells: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end, readable) of Time Frame cells; empty cells are readable, with NULL_OFFSET times."""
    count, width = len(cells), len(_VENDOR_FORM)
    empty = pc.equal(cells, "").to_numpy(zero_copy_only=False)
    matrix, fits = _fixed_width(cells, 2 * width + 1)
    start, end = np.full(count, NULL_OFFSET, dtype=np.int64), np.full(count, NULL_OFFSET, dtype=np.int64)
    readable = empty.copy()
    first, first_valid = _vendor_seconds(matrix)
    second, second_valid = _vendor_seconds(matrix, width + 1)
    both = first_valid & second_valid & (matrix[:, width] == ord("\n"))
    start[fits], end[fits] = np.where(both, first, NULL_OFFSET), np.where(both, second, NULL_OFFSET)
    readable[fits] = both
    for index in np.flatnonzero(~readable):
        window = parse_time_frame(cells[int(index)].as_py())
        if window is not None:
            start[index], end[index], readable[index] = window[0], window[1], True
    return start, end, readable


def _whole_numbers(cells: pa.Array, empty_value: int) -> np.ndarray:
    """log_files._whole_number of each cell: `empty_value` for an empty cell, -1 for an unreadable one."""
    simple = pc.match_substring_regex(cells, _WHOLE).to_numpy(zero_copy_only=False)
    numbers = pc.cast(pc.if_else(simple, cells, "0"), pa.int64()).to_numpy(zero_copy_only=False).copy()
    for index in np.flatnonzero(~simple):
        value = _whole_number(cells[int(index)].as_py())
        numbers[index] = empty_value if value is None else value
    return numbers


def _coded(cells: pa.Array, code_of) -> np.ndarray:
    """Each cell's code, computed once per distinct cell (`code_of(text)`)."""
    encoded = pc.dictionary_encode(cells)
    codes = np.fromiter((code_of(text) for text in encoded.dictionary.to_pylist()), dtype=np.int64)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    return codes[indices] if len(codes) else np.zeros(len(cells), dtype=np.int64)


def _header_is_one_line(path: Path) -> bool:
    with path.open("rb") as file:
        line = file.readline(MAX_LINE_CHARS + 1)
    return line.endswith(b"\n") and line.count(b'"') % 2 == 0


def read_csv_columns(path: Path, layout: Layout, *, org_code, reason_code, type_code) -> Columns | None:
    """The file's searches as Columns, or None when the row-by-row reader must read it (see the module).
    `org_code`, `reason_code`, `type_code`: the caller's local id of a cell's text (called once per distinct
    text in each block: the org name stripped, the reason raw, the type stripped and cut)."""
    if not layout.has_header or not _header_is_one_line(path):
        return None
    try:
        return _read(path, layout, org_code, reason_code, type_code)
    except (NotSimple, pa.ArrowException):
        # Never shown nor logged: pyarrow's messages quote the row they could not read.
        return None


def _read(path: Path, layout: Layout, org_code, reason_code, type_code) -> Columns:
    at = layout.positions
    names = {kept: f"f{position}" for kept, position in at.items()}
    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(
            skip_rows=1, autogenerate_column_names=True, block_size=BLOCK_BYTES, use_threads=False
        ),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            include_columns=list(dict.fromkeys(names.values())),
            column_types={name: pa.string() for name in names.values()},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if len(reader.schema) > MAX_COLUMNS:
        raise NotSimple
    parts: dict[str, list] = {}
    refusal_rows: dict[str, list[np.ndarray]] = {}
    rows_read = 0
    for batch in reader:
        count = batch.num_rows
        if count == 0:
            continue
        cells = {kept: batch.column(name) for kept, name in names.items()}
        # Every kept cell empty: LogReader may skip the row (it sees the other cells); a cell too long: it
        # refuses the file. Both are its to decide.
        lengths = [pc.utf8_length(column) for column in cells.values()]
        widest = pc.max_element_wise(*lengths) if len(lengths) > 1 else lengths[0]
        if pc.max(widest).as_py() >= MAX_LINE_CHARS or pc.any(pc.equal(widest, 0)).as_py():
            raise NotSimple
        numbers = np.arange(rows_read + 1, rows_read + count + 1, dtype=np.int64)
        rows_read += count
        seconds, time_ok = _times(cells["search_time"])
        refused = np.zeros(count, dtype=np.int8)  # 0: kept; else the index of the first failed check + 1
        checks: list[tuple[str, np.ndarray]] = []
        no_time = pc.equal(cells["search_time"], "").to_numpy(zero_copy_only=False)
        checks.append(("no Search Time", ~time_ok & no_time))
        checks.append(("unreadable Search Time", ~time_ok & ~no_time))
        if "time_frame" in cells:
            start, end, frame_ok = _frames(cells["time_frame"])
            checks.append(("unreadable Time Frame", ~frame_ok))
        else:
            start = end = np.full(count, NULL_OFFSET, dtype=np.int64)
        networks = (
            _whole_numbers(cells["networks"], 0) if "networks" in cells else np.zeros(count, dtype=np.int64)
        )
        checks.append(("unreadable Total Networks Searched", (networks < 0) | (networks > MAX_NETWORKS)))
        devices = _whole_numbers(cells["devices"], -2) if "devices" in cells else np.full(count, -2)
        checks.append(("unreadable Total Devices Searched", devices == -1))
        if "moderation" in cells:
            moderation = _coded(
                cells["moderation"], lambda text: _MODERATION_CODES.get(text.strip().lower(), -1)
            )
            checks.append(("unknown Moderation", moderation < 0))
        else:
            moderation = np.zeros(count, dtype=np.int64)
        for position, (reason, failed) in enumerate(checks, start=1):
            newly = failed & (refused == 0)
            refused[newly] = position
            if newly.any():
                refusal_rows.setdefault(reason, []).append(numbers[newly])
        keep = refused == 0
        searcher = (
            _coded(cells["org_name"], lambda text: org_code(text.strip()))
            if "org_name" in cells
            else np.full(count, org_code(""), dtype=np.int64)
        )
        search_type = (
            _coded(cells["search_type"], lambda text: type_code(text.strip()[:100]))
            if "search_type" in cells
            else np.full(count, type_code(""), dtype=np.int64)
        )
        values = {
            "row_number": numbers,
            "searched_at": seconds,
            "window_start": np.where(start == NULL_OFFSET, NULL_OFFSET, start - seconds),
            "window_end": np.where(end == NULL_OFFSET, NULL_OFFSET, end - seconds),
            "devices": np.where(devices == -2, -1, devices),
            "networks": networks,
            "moderation": moderation,
            "searcher": searcher,
            "reason": _coded(cells["reason"], reason_code),
            "search_type": search_type,
        }
        for name, column in values.items():
            parts.setdefault(name, []).append(column[keep])
        if "id" in cells:
            raw = cells["id"].filter(pa.array(keep))
            ids = pc.if_else(pc.equal(raw, ""), pa.scalar(None, pa.string()), pc.utf8_trim_whitespace(raw))
            parts.setdefault("search_ids", []).append(ids)
        if rows_read > MAX_ROWS:
            raise NotSimple
    columns = Columns(
        **{
            name: np.concatenate(parts[name]) if name in parts else np.zeros(0, dtype=np.int64)
            for name in values_names()
        },
        search_ids=pa.chunked_array(parts["search_ids"], pa.string()) if "search_ids" in parts else None,
        rows_read=rows_read,
    )
    firsts = sorted((rows[0][0], reason) for reason, rows in refusal_rows.items())
    for _first, reason in firsts:
        numbers = np.concatenate(refusal_rows[reason])
        columns.refusals.counts[reason] = len(numbers)
        columns.refusals.examples[reason] = [int(number) for number in numbers[:5]]
    return columns


def values_names() -> tuple[str, ...]:
    return (
        "row_number",
        "searched_at",
        "window_start",
        "window_end",
        "devices",
        "networks",
        "moderation",
        "searcher",
        "reason",
        "search_type",
    )
