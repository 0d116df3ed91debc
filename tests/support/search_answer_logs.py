"""Audit logs written as real CSV files and imported through the searches importer, for the answers' tests:
a network log of one Texas owner (ten searches by four searchers over two months, the immigration ones
known) and an organisation log (three searches by named officers)."""

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import text

from tests.support.agencies import make_agency
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches.importer import LogSource, import_log_file

HEADER = (
    "ID", "Name", "Org Name", "Total Networks Searched", "Total Devices Searched", "Time Frame",
    "License Plate", "Reason", "Case #", "Filters", "Search Time", "Search Type", "Text Prompt", "Moderation",
)  # fmt: skip
AUSTIN, OKLAHOMA = "Austin PD", "Oklahoma City Police Department"
ICE, DALLAS = "ICE ERO Houston", "Dallas PD"
# (searcher, networks, reason, day, search type); the row number in the file is the position + 1.
NETWORK_ROWS = (
    (AUSTIN, 1, "stolen vehicle", "01/05/2025", "search"),
    (AUSTIN, 3, "burglary", "01/06/2025", "lookup"),
    (ICE, 40, "ICE detainer", "01/10/2025", "search"),
    (OKLAHOMA, 2, "ICE", "01/12/2025", "search"),
    (OKLAHOMA, 1, "", "01/15/2025", "search"),
    (AUSTIN, 1, "Immigration (civil/administrative)", "02/02/2025", "search - Mobile"),
    (OKLAHOMA, 5, "Border Patrol assist", "02/03/2025", "lookup"),
    (AUSTIN, 1, "HSI", "02/04/2025", "search"),
    (AUSTIN, 1, "***", "02/20/2025", "search"),
    (DALLAS, 1, "ICE", "02/21/2025", "search"),
)
IMMIGRATION_ROWS = (3, 4, 6, 7, 10)
SOURCE = LogSource(
    title="Public records request 2025-117 (network audit)",
    url="https://records.example.org/requests/2025-117",
    received_on=date(2025, 3, 14),
)
OFFICER = "Officer Jane Roe"
PLATE = "XYZ9876"


def write_log(path: Path, rows: list[tuple]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, (searcher, networks, reason, day, search_type, *personal) in enumerate(rows, start=1):
            name, plate = personal or ("***", "***")
            at = f"{day}, 09:{number:02d}:00 AM UTC"
            frame = f"{day}, 08:00:00 AM UTC\n{at}"
            writer.writerow(
                (
                    f"id-{path.stem}-{number}",
                    name,
                    searcher,
                    networks,
                    networks * 7,
                    frame,
                    plate,
                    reason,
                    "",
                    "",
                    at,
                    search_type,
                    "",
                    "",
                )  # fmt: skip
            )
    return path


def link_searcher(name: str, agency) -> None:
    db.session.execute(
        text(
            "INSERT INTO operator_links (operator_key, operator, state, agency_id) "
            "VALUES (lower(btrim(:name)), :name, 'linked', :agency) "
            "ON CONFLICT (operator_key, state_geoid) DO UPDATE "
            "SET state = 'linked', agency_id = EXCLUDED.agency_id, candidates = NULL"
        ),
        {"name": name, "agency": agency.id},
    )


def network_world(folder: Path, demo: bool = False) -> dict:
    """The owner (Testville, TX), three linked searchers (Austin TX, Oklahoma City OK, ICE federal; Dallas
    PD stays unlinked) and the owner's network log imported from one CSV file."""
    owner = make_agency("Testville Police Department", state="TX")
    agencies = {
        AUSTIN: make_agency("Austin Police Department", state="TX"),
        OKLAHOMA: make_agency("Oklahoma City Police Department", state="OK"),
        ICE: make_agency("U.S. Immigration and Customs Enforcement", kind="federal"),
    }
    path = write_log(folder / "network_2025.csv", list(NETWORK_ROWS))
    summary = import_log_file(path, owner=owner, kind=SearchLogKind.NETWORK, source=SOURCE, demo=demo)
    for name, agency in agencies.items():
        link_searcher(name, agency)
    db.session.flush()
    searchers = dict(db.session.execute(text("SELECT name, id FROM search_searchers")).all())
    return {"owner": owner, "agencies": agencies, "searchers": searchers, "file_id": summary.file_id}


def org_world(folder: Path, owner) -> int:
    rows = [
        ("Testville PD", 1, "stolen vehicle", "03/01/2025", "search", OFFICER, PLATE),
        ("Testville PD", 3, "ICE", "03/02/2025", "search", OFFICER, PLATE),
        ("Testville PD", 1, "", "04/02/2025", "lookup", OFFICER, PLATE),
    ]
    path = write_log(folder / "org_2025.csv", rows)
    source = LogSource(title="Request 2025-118 (organisation audit)", url=None, received_on=date(2025, 5, 1))
    return import_log_file(path, owner=owner, kind=SearchLogKind.ORG, source=source).file_id
