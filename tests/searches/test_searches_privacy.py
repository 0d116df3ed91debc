"""Privacy at the door (issue 21, item 2): names, plates, case numbers, filters and text prompts planted in
audit logs (in their own columns and inside reasons) are found nowhere after an import that commits for real:
not in a dump of the database, not in any file of the database cluster (tables, write-ahead log, temporary
files, the server's log) after a checkpoint, not in a temporary file left behind, not in a log record or the
command's output. The same holds for files that are refused half-way."""

import logging
import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.support.search_logs import HEADER, search_row, write_csv, write_xlsx
from webapp.kernel.data.models import Agency
from webapp.kernel.extensions import db
from webapp.searches.cli import cli

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def planted_secrets() -> dict[str, str]:
    """Values no other test writes, so that finding one anywhere can only mean this import leaked it."""
    tag = uuid.uuid4().hex[:6].upper()
    digits = str(int(uuid.uuid4().int % 10**6)).zfill(6)
    return {
        "name": f"Officer Zebulon{tag} Quartermaine",
        "plate": f"7{tag[:3]}{digits[:3]}",
        "reason_plate": f"8{tag[3:]}{digits[3:]}",
        "case": f"CASE-{tag}-{digits}",
        "reason_case": f"24-{digits}{tag[:1]}",
        "dob": f"04/1{digits[0]}/1977",
        "filters": f"plate:{tag}ZZ",
        "prompt": f"red pickup {tag} heading north",
    }


def log_rows(secrets: dict[str, str], count: int = 30) -> list[dict]:
    rows = []
    for number in range(count):
        rows.append(
            {
                **search_row(
                    f"p{number}",
                    reason=(
                        f"stolen plate {secrets['reason_plate']} case #{secrets['reason_case']} "
                        f"DOB {secrets['dob']}"
                    ),
                    at=f"11/14/2025, 09:{number:02d}:00 AM UTC",
                    name=secrets["name"],
                    plate=secrets["plate"],
                    case=secrets["case"],
                ),
                "Filters": secrets["filters"],
                "Text Prompt": secrets["prompt"],
            }
        )
    return rows


def files_holding(folder: Path, needles: list[str]) -> list[str]:
    """Files under `folder` (raw bytes, recursively) holding any needle."""
    result = subprocess.run(
        ["grep", "-r", "-l", "-a", "-F", *[arg for needle in needles for arg in ("-e", needle)], str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.splitlines()


@pytest.fixture
def owner(app, committing_db):
    with app.app_context():
        agency = Agency(name="Aubrey TX PD", state="TX", kind="police")
        db.session.add(agency)
        db.session.commit()
        return agency.id


def test_nothing_personal_from_a_log_is_kept_anywhere(app, owner, tmp_path, caplog):
    secrets = planted_secrets()
    needles = list(secrets.values())
    started = time.time()
    good_csv = write_csv(tmp_path / "network.csv", log_rows(secrets))
    xlsx_header = (*HEADER[:4], "Total Devices Searched", *HEADER[4:])
    good_xlsx = write_xlsx(
        tmp_path / "network.xlsx", log_rows(secrets, 35), header=xlsx_header, with_header=False
    )
    # Refused half-way: a row of too many cells after good rows, and unreadable dates.
    wide = write_csv(tmp_path / "wide.csv", log_rows(secrets))
    with wide.open("a", encoding="utf-8") as file:
        file.write(",".join([secrets["plate"], secrets["name"]] + [""] * 300) + "\n")
    bad_dates = log_rows(secrets)
    for row in bad_dates:
        row["Search Time"] = secrets["plate"]
    dates = write_csv(tmp_path / "dates.csv", bad_dates)

    caplog.set_level(logging.DEBUG)
    runner = app.test_cli_runner()
    result = runner.invoke(
        cli,
        [
            "import",
            str(good_csv),
            str(good_xlsx),
            str(wide),
            str(dates),
            "--kind",
            "org",
            "--agency",
            str(owner),
            "--title",
            "Org audit",
            "--received",
            "2025-12-01",
        ],
    )
    assert "2 of 4 files imported" in result.output, result.output
    assert "65 rows read, 35 stored, 30 already known" in result.output

    assert not [needle for needle in needles if needle in result.output]
    assert not [
        record for record in caplog.records if any(needle in record.getMessage() for needle in needles)
    ]

    with app.app_context():
        reasons = db.session.execute(text("SELECT reason FROM search_reasons")).scalars().all()
        assert reasons == ["stolen [plate] [case number] [date]"]
        db.session.execute(text("CHECKPOINT"))
        db.session.commit()
        url = make_url(db.engine.url)
        data_directory = Path(db.session.execute(text("SHOW data_directory")).scalar())
        db.session.remove()

    dump = subprocess.run(
        [
            PG_BIN / "pg_dump",
            "--data-only",
            url.set(drivername="postgresql").render_as_string(hide_password=False),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "stolen [plate] [case number] [date]" in dump  # the dump holds the import
    assert not [needle for needle in needles if needle in dump]

    if not os.access(data_directory, os.R_OK):
        pytest.skip(f"the database's files ({data_directory}) are not readable here")
    # Tables, the write-ahead log, temporary files and (one level up) the server's log.
    assert files_holding(data_directory.parent, needles) == []
    leftovers = [
        path
        for path in Path(tempfile.gettempdir()).iterdir()
        if path.is_file() and path.stat().st_mtime >= started and not path.is_relative_to(tmp_path)
    ]
    assert [path for path in leftovers if files_holding(path, needles)] == []
