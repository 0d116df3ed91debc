"""Reading an audit log file (CSV or XLSX) row by row, keeping only the cells Sightline stores.

Columns are found by their header, case-insensitively and in any order (extra columns ignored); an XLSX
export without a header row is read in the vendor's order (HEADERLESS_ORDER). `Name`, `License Plate`,
`Case #`, `Filters`, `Text Prompt` and any column this module does not know are dropped here, as each row is
read: they never leave this module, and no error message quotes a cell (a shifted row could put a plate in any
column). The reason leaves it raw; the importer masks it (webapp.searches.redaction) before it is copied.

Bounded work for any file: a CSV line longer than MAX_LINE_CHARS, a row of more than MAX_COLUMNS cells, a
binary file, an XLSX whose sheet would unpack to more than XLSX_MAX_UNPACKED_BYTES or at a ratio above
XLSX_MAX_RATIO (a zip bomb) are refused with a message naming the problem, before or while reading, without
holding more than one line in memory (XLSX: the sheet, capped as said).
"""

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

from flask_babel import gettext as _

from webapp.kernel.csv_cells import CsvError, csv_row_reader
from webapp.kernel.errors import InvalidInput
from webapp.kernel.vocabulary import SEARCH_MODERATIONS

MAX_LINE_CHARS = 64 * 1024
MAX_COLUMNS = 200
PROBE_BYTES = 64 * 1024
# Calamine holds the whole sheet: 47 MB of sheet XML (62,500 rows) took 73 MB of memory, so this caps an
# XLSX import near 600 MB (about 530,000 rows; a larger log goes in as CSV, which streams).
XLSX_MAX_UNPACKED_BYTES = 400 * 1024 * 1024
XLSX_MAX_RATIO = 100
MAX_NETWORKS = 32767

# The cells kept, by the names this module gives them; the header names each is known by (lower case,
# underscores and repeated spaces read as one space). The portals' shorter search_audit.csv uses snake case.
KEPT_COLUMNS = {
    "id": ("id", "search id"),
    "org_name": (
        "org name",
        "organization",
        "organization name",
        "agency",
        "agency name",
        "searching agency",
    ),
    "networks": ("total networks searched", "networks searched", "networks", "network count"),
    "devices": ("total devices searched", "devices searched", "devices", "device count"),
    "time_frame": ("time frame", "timeframe", "search time frame"),
    "reason": ("reason", "search reason"),
    "search_time": ("search time", "searched at", "search date", "created at", "timestamp", "time"),
    "search_type": ("search type", "type"),
    "moderation": ("moderation",),
}
# Known personal columns: recognised (so the file reads as an audit log) and dropped.
PERSONAL_COLUMNS = (
    "name",
    "user",
    "user name",
    "officer",
    "license plate",
    "plate",
    "case #",
    "case number",
    "case",
    "filters",
    "text prompt",
    "prompt",
)
OTHER_KNOWN_COLUMNS = ("offense type",)
HEADERLESS_ORDER = (
    "id", "name", "org name", "total networks searched", "total devices searched", "time frame",
    "license plate", "reason", "case #", "filters", "search time", "search type", "text prompt", "moderation",
)  # fmt: skip
_HEADER_TO_KEPT = {header: kept for kept, headers in KEPT_COLUMNS.items() for header in headers}
_KNOWN_HEADERS = set(_HEADER_TO_KEPT) | set(PERSONAL_COLUMNS) | set(OTHER_KNOWN_COLUMNS)


class BadLogFile(InvalidInput):
    """A file that cannot be imported as a whole: the message names the problem (never a cell's value)."""


class LogRow(NamedTuple):
    """One search as read: times in seconds since 1970 (UTC), the reason still raw (the importer masks it
    once per distinct text), nothing personal."""

    row_number: int
    search_id: str | None
    org_name: str
    networks: int
    devices: int | None
    window_start: int | None
    window_end: int | None
    reason: str
    searched_at: int
    search_type: str
    moderation: int


@dataclass
class Refusals:
    """Rows refused, by reason, with the first few row numbers of each (never a cell)."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[int]] = field(default_factory=dict)

    def add(self, reason: str, row_number: int) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + 1
        rows = self.examples.setdefault(reason, [])
        if len(rows) < 5:
            rows.append(row_number)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def normalized_header(cell) -> str:
    return (
        re.sub(r"\s+", " ", str(cell if cell is not None else "").replace("\ufeff", "").replace("_", " "))
        .strip()
        .lower()
    )


# --- times

_US_TIME = re.compile(
    r"\s*(\d{1,2})/(\d{1,2})/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp][Mm])?"
    r"\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?\s*$"
)
_ISO_TIME = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?\s*$"
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 (Howard Hinnant's algorithm): much faster than building datetimes."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _offset_seconds(zone: str | None) -> int:
    if not zone or zone in ("UTC", "GMT", "Z"):
        return 0
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)


_MINUTE_SECONDS: dict[str, int | None] = {}


def parse_time(value) -> int | None:
    """Seconds since 1970 (UTC) of "11/14/2025, 09:53:36 AM UTC", an ISO time, or an XLSX date; None when
    it is none of these or out of range. A time with no zone is read as UTC, as the vendor writes it.

    The vendor's own form (27 characters) takes a fast path: its minute is read once (a month's log has
    about 44,000) and remembered, then only the seconds are read."""
    if (
        type(value) is str
        and len(value) == 27
        and value[23:] == " UTC"
        and value[17] == ":"
        and value[20] == " "
    ):
        key = value[:17] + value[21:23]
        minute = _MINUTE_SECONDS.get(key, -1)
        if minute == -1:
            if len(_MINUTE_SECONDS) > 200_000:
                _MINUTE_SECONDS.clear()
            minute = _MINUTE_SECONDS[key] = _slow_time(value[:17] + ":00 " + value[21:23] + " UTC")
        seconds = value[18:20]
        if minute is None or not seconds.isdecimal():
            return None
        second = int(seconds)
        return minute + second if second <= 59 else None
    return _slow_time(value)


def _slow_time(value) -> int | None:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return int(moment.timestamp()) if EARLIEST_YEAR <= moment.year <= LATEST_YEAR else None
    if isinstance(value, date):
        return _slow_time(datetime(value.year, value.month, value.day))
    if not isinstance(value, str):
        return None
    match = _US_TIME.match(value)
    if match:
        month, day, year, hour, minute, second, half, zone = match.groups()
    else:
        match = _ISO_TIME.match(value)
        if not match:
            return None
        year, month, day, hour, minute, second, zone = match.groups()
        half = None
    year, month, day, hour, minute = int(year), int(month), int(day), int(hour), int(minute)
    second = int(second or 0)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half in ("PM", "pm", "Pm", "pM") else 0)
    if not (
        EARLIEST_YEAR <= year <= LATEST_YEAR and 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]
    ):
        return None
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    return (
        _days_from_civil(year, month, day) * 86400
        + hour * 3600
        + minute * 60
        + second
        - _offset_seconds(zone)
    )


_FRAME_SPLIT = re.compile(r"\s*(?:\r?\n|\s-\s|\sto\s|–)\s*")


def parse_time_frame(value) -> tuple[int, int] | None:
    """The searched window of a `Time Frame` cell: two times on two lines (or "start - end")."""
    if value is None or value == "":
        return None
    if type(value) is str and len(value) == 55 and value[27] == "\n":
        start, end = parse_time(value[:27]), parse_time(value[28:])
        return (start, end) if start is not None and end is not None else None
    parts = [part for part in _FRAME_SPLIT.split(str(value).strip()) if part]
    if len(parts) != 2:
        return None
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start is None or end is None:
        return None
    return start, end


def _whole_number(value) -> int | None:
    if type(value) is str and value.isdecimal():
        return int(value)
    if value is None or value == "":
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else -1
    if isinstance(value, int):
        return value
    text = str(value).strip().replace(",", "")
    return int(text) if text.isdecimal() else -1


_MODERATION_CODES = {name: code for code, name in enumerate(SEARCH_MODERATIONS)}


# --- reading


def _capped_lines(stream: io.TextIOBase) -> Iterator[str]:
    """The stream's lines, read a megabyte at a time, refusing a line longer than MAX_LINE_CHARS (2 GB of
    garbage is never read into memory at once)."""
    carry = ""
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            if carry:
                yield carry
            return
        lines = (carry + chunk).split("\n")
        carry = lines.pop()
        if len(carry) > MAX_LINE_CHARS or (lines and max(map(len, lines)) >= MAX_LINE_CHARS):
            raise BadLogFile(
                _(
                    "This is not an audit log: a line is longer than %(chars)s characters.",
                    chars=f"{MAX_LINE_CHARS:,}",
                )
            )
        yield from [line + "\n" for line in lines]


def _probe(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(PROBE_BYTES)


def file_format(path: Path) -> str:
    """ "xlsx" (a zip file) or "csv" (text); anything else is refused."""
    head = _probe(path)
    if not head:
        raise BadLogFile(_("The file is empty."))
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"\x00" in head:
        raise BadLogFile(_("This is not an audit log: the file is binary, neither CSV text nor XLSX."))
    if b"\n" not in head and len(head) == PROBE_BYTES:
        raise BadLogFile(
            _("This is not an audit log: no line break in its first %(kb)s KB.", kb=PROBE_BYTES // 1024)
        )
    return "csv"


def _csv_rows(path: Path) -> Iterator[list]:
    # newline="" lets csv read the two-line quoted Time Frame cell; bytes that are not UTF-8 become U+FFFD.
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as stream:
        reader = csv_row_reader(_capped_lines(stream))
        try:
            yield from reader
        except CsvError as error:
            raise BadLogFile(
                _(
                    "The CSV cannot be read at line %(line)s (a cell or quote that never ends).",
                    line=reader.line_num,
                )
            ) from error


def check_xlsx(path: Path) -> None:
    """Refuse a zip bomb before anything unpacks it: the sheets' declared sizes and ratios are checked."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise BadLogFile(_("The file looks like XLSX but is not a readable zip archive.")) from error
    unpacked = sum(member.file_size for member in members)
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise BadLogFile(
            _(
                "The XLSX would unpack to %(mb)s MB, more than the %(limit)s MB accepted: export the log as "
                "CSV instead.",
                mb=f"{unpacked // 2**20:,}",
                limit=f"{XLSX_MAX_UNPACKED_BYTES // 2**20:,}",
            )
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise BadLogFile(
                _(
                    "The XLSX is a zip bomb: %(member)s would unpack %(ratio)s times larger than it is.",
                    member=member.filename[:80],
                    ratio=f"{member.file_size // max(member.compress_size, 1):,}",
                )
            )
    if not any(member.filename.startswith("xl/worksheets/") for member in members):
        raise BadLogFile(_("The XLSX has no worksheet."))


def _xlsx_rows(path: Path) -> Iterator[list]:
    from python_calamine import CalamineError, CalamineWorkbook

    check_xlsx(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        yield from sheet.iter_rows()
    except (CalamineError, ValueError) as error:
        raise BadLogFile(_("The XLSX cannot be read (%(kind)s).", kind=type(error).__name__)) from error


@dataclass
class Layout:
    """Which position of a row holds each kept cell; `has_header` when the first row named them."""

    positions: dict[str, int]
    has_header: bool
    width: int


def _layout_of(first_row: list, file_kind: str) -> Layout:
    headers = [normalized_header(cell) for cell in first_row]
    known = [header for header in headers if header in _KNOWN_HEADERS]
    if len(known) >= 2:
        positions: dict[str, int] = {}
        for position, header in enumerate(headers):
            kept = _HEADER_TO_KEPT.get(header)
            # A short header ("time", "type") never overrides a column found by its full name.
            if kept and kept not in positions:
                positions[kept] = position
        missing = [name for name in ("reason", "search_time") if name not in positions]
        if missing:
            labels = {"reason": "Reason", "search_time": "Search Time"}
            raise BadLogFile(
                _(
                    "This audit log has no %(columns)s column; its columns are named in its first row and "
                    "none "
                    "of them is called so.",
                    columns=" / ".join(labels[name] for name in missing),
                )
            )
        return Layout(positions, True, len(headers))
    if file_kind == "xlsx" and len(first_row) <= len(HEADERLESS_ORDER):
        # The exports with and without Total Devices Searched; trailing empty cells may be cut off.
        for order in (
            HEADERLESS_ORDER,
            tuple(name for name in HEADERLESS_ORDER if name != "total devices searched"),
        ):
            positions = {
                _HEADER_TO_KEPT[name]: index for index, name in enumerate(order) if name in _HEADER_TO_KEPT
            }
            at = positions["search_time"]
            if len(first_row) > at and parse_time(first_row[at]) is not None:
                return Layout(positions, False, len(order))
    raise BadLogFile(
        _(
            "This is not an audit log: its first row names none of the columns an audit log has "
            "(Search Time, Reason, Org Name, Time Frame, ...)."
        )
    )


class LogReader:
    """Iterates the searches of one file as LogRows; refused rows are counted in `refusals`, rows read in
    `rows_read`. The caller decides what too many refusals mean."""

    def __init__(self, path: Path, needs_org_name: bool = False):
        self.path = path
        self.needs_org_name = needs_org_name
        self.format = file_format(path)
        self.refusals = Refusals()
        self.rows_read = 0
        self.layout: Layout | None = None

    def __iter__(self) -> Iterator[LogRow]:
        rows = _xlsx_rows(self.path) if self.format == "xlsx" else _csv_rows(self.path)
        first, layout = self._first_row(rows)
        if not layout.has_header:
            rows = _chain_first(first, rows)
        yield from self._searches(rows, layout)

    def read_layout(self) -> Layout:
        """The file's layout from its first row (checked as iterating does), without reading further."""
        rows = _xlsx_rows(self.path) if self.format == "xlsx" else _csv_rows(self.path)
        try:
            return self._first_row(rows)[1]
        finally:
            rows.close()

    def _first_row(self, rows: Iterator[list]) -> tuple[list, Layout]:
        first = next(rows, None)
        if first is None:
            raise BadLogFile(_("The file is empty."))
        self._check_width(first, 1)
        layout = self.layout = _layout_of(first, self.format)
        if self.needs_org_name and "org_name" not in layout.positions:
            raise BadLogFile(
                _("This network log has no Org Name column: it does not say which agency ran each search.")
            )
        return first, layout

    @staticmethod
    def _check_width(row: list, line: int) -> None:
        if len(row) > MAX_COLUMNS:
            raise BadLogFile(
                _(
                    "Row %(row)s has %(cells)s cells; an audit log has at most %(limit)s columns.",
                    row=f"{line:,}",
                    cells=f"{len(row):,}",
                    limit=MAX_COLUMNS,
                )
            )

    def _searches(self, rows, layout: Layout) -> Iterator[LogRow]:
        at = layout.positions
        id_at, org_at, networks_at, devices_at = (
            at.get("id"),
            at.get("org_name"),
            at.get("networks"),
            at.get("devices"),
        )
        frame_at, reason_at, time_at = at.get("time_frame"), at["reason"], at["search_time"]
        type_at, moderation_at = at.get("search_type"), at.get("moderation")
        needed = max(at.values()) + 1
        refuse = self.refusals.add
        number = 0
        for row in rows:
            number += 1
            if len(row) > MAX_COLUMNS:
                self._check_width(row, number + layout.has_header)
            if not any(row):
                number -= 1  # a blank line is no row
                continue
            self.rows_read += 1
            if len(row) < needed:
                row = [*row, *([""] * (needed - len(row)))]
            searched_at = parse_time(row[time_at])
            if searched_at is None:
                refuse(
                    "unreadable Search Time" if row[time_at] not in ("", None) else "no Search Time", number
                )
                continue
            window = None
            if frame_at is not None and row[frame_at] not in ("", None):
                window = parse_time_frame(row[frame_at])
                if window is None:
                    refuse("unreadable Time Frame", number)
                    continue
            networks = _whole_number(row[networks_at]) if networks_at is not None else None
            if networks is not None and not 0 <= networks <= MAX_NETWORKS:
                refuse("unreadable Total Networks Searched", number)
                continue
            devices = _whole_number(row[devices_at]) if devices_at is not None else None
            if devices is not None and devices < 0:
                refuse("unreadable Total Devices Searched", number)
                continue
            moderation = 0
            if moderation_at is not None:
                moderation = _MODERATION_CODES.get(str(row[moderation_at] or "").strip().lower(), -1)
                if moderation < 0:
                    refuse("unknown Moderation", number)
                    continue
            search_id = (
                str(row[id_at]).strip() if id_at is not None and row[id_at] not in ("", None) else None
            )
            yield LogRow(
                number,
                search_id,
                str(row[org_at] or "").strip() if org_at is not None else "",
                networks or 0,
                devices,
                window[0] if window else None,
                window[1] if window else None,
                str(row[reason_at] if row[reason_at] is not None else ""),
                searched_at,
                str(row[type_at] or "").strip()[:100] if type_at is not None else "",
                moderation,
            )


def _chain_first(first: list, rows: Iterator[list]) -> Iterator[list]:
    yield first
    yield from rows
