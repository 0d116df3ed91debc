"""Audit log files written by the tests (real CSV and XLSX files), and one call that imports a file as
`flask searches import` does (without committing: the test's transaction rolls back)."""

import csv
from datetime import date
from pathlib import Path

from webapp.kernel.data.models import Agency
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches import synthetic
from webapp.searches.importer import ImportSummary, LogSource, import_log_file

# The usual 13 columns (the generator's export adds Total Devices Searched).
HEADER = tuple(column for column in synthetic.HEADER if column != "Total Devices Searched")


def search_row(
    search_id: str = "",
    org: str = "Tulsa OK PD",
    networks: int = 3,
    reason: str = "stolen vehicle",
    at: str = "11/14/2025, 09:53:36 AM UTC",
    frame: str = "11/07/2025, 09:53:36 AM UTC\n11/14/2025, 09:53:36 AM UTC",
    search_type: str = "search",
    name: str = "***",
    plate: str = "***",
    case: str = "",
    moderation: str = "",
) -> dict[str, object]:
    """One row by column name (HEADER's), with the vendor's defaults."""
    return {
        "ID": search_id,
        "Name": name,
        "Org Name": org,
        "Total Networks Searched": networks,
        "Time Frame": frame,
        "License Plate": plate,
        "Reason": reason,
        "Case #": case,
        "Filters": "",
        "Search Time": at,
        "Search Type": search_type,
        "Text Prompt": "",
        "Moderation": moderation,
    }


def write_csv(path: Path, rows: list[dict], header=HEADER, bom: bool = True) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


def write_xlsx(path: Path, rows: list[dict], header=HEADER, with_header: bool = True) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    if with_header:
        sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    workbook.save(path)
    return path


def import_file(
    path: Path, owner: Agency, kind: SearchLogKind = SearchLogKind.NETWORK, title: str = "Records request 21"
) -> ImportSummary:
    return import_log_file(
        path,
        owner=owner,
        kind=kind,
        source=LogSource(title, "https://example.org/request", date(2025, 12, 1)),
    )
