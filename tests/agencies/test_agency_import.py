"""`flask agencies import`: a hand-written sample in the News & Observer's columns and the real files
(data/), each imported twice (nothing changes the second time); a newer scrape; clear errors."""

import csv
import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.support.shipped_data import AGENCIES
from webapp.agencies.importing.importer import import_agency_files
from webapp.agencies.importing.source_files import (
    organisations_in,
    prohibits_immigration_enforcement,
    read_agency_files,
    retention_days_in,
)
from webapp.kernel.data.models import Agency, AgencyPolicy, AgencyPortalFigures, AgencySharing, DataSource
from webapp.kernel.extensions import db

TABLES = (
    "data_sources",
    "agencies",
    "agency_aliases",
    "agency_sharing",
    "agency_portal_figures",
    "agency_policies",
)


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


USAGE_HEADER = [
    "id", "agency", "updated", "accessed", "url", "data_retention_in_days", "number_of_owned_cameras",
    "external_organizations_with_access", "hotlists_alerted_on", "vehicles_detected_in_the_last_30_days",
    "hotlist_hits_in_the_last_30_days", "searches_in_the_last_30_days", "public_search_audit",
]  # fmt: skip
POLICY_HEADER = [
    "id", "agency", "updated", "accessed", "url", "hash", "whats_detected", "whats_not_detected",
    "acceptable_use_policy", "prohibited_uses", "access_policy", "hotlist_policy",
]  # fmt: skip
PORTAL = "https://transparency.flocksafety.com/sylvania-oh-pd"


def write_sample(folder: Path, access_name="agency_access20240426.csv", pairs=None) -> Path:
    folder.mkdir(exist_ok=True)
    _write(
        folder / "agency20240426.csv",
        ["id", "name", "notes"],
        [
            [2459, "Sylvania OH PD", "NA"],
            [14, "Adrian MI PD", "NA"],
            [860, "FBI", "added from ex org check"],
            [1720, "Marshall County SO IN", "NA"],
        ],
    )
    _write(
        folder / access_name,
        ["src_agency", "external_agency", "src_agency_id", "external_agency_id"],
        pairs or [["Sylvania OH PD", "Adrian MI PD", 2459, 14], ["Sylvania OH PD", "FBI", 2459, 860]],
    )
    _write(
        folder / "latest_usage04262023.csv",
        USAGE_HEADER,
        [
            [2459, "Sylvania OH PD", "2024-04-26T14:20:51Z", "2024-04-26T17:25:34Z", PORTAL, "30 days", "15",
             "Adrian MI PD, FBI", "NCIC", "1,234,567", "Data Unavailable", "NA", "0"],
            [14, "Adrian MI PD", "NA", "2024-04-26T17:25:40Z", "NA", "-Infinity days", "NA", "988", "NA",
             "NA", "NA", "12", "NA"],
        ],
    )  # fmt: skip
    _write(
        folder / "agency_policies.csv",
        POLICY_HEADER,
        [
            [2459, "Sylvania OH PD", "2023-07-27T12:04:07Z", "2023-07-28T00:56:00Z", PORTAL, "x",
             "License Plates", "Facial recognition", "Law enforcement only.",
             "Immigration enforcement, traffic enforcement, Personal use.", "Reason required.", "Verified."],
            [14, "Adrian MI PD", "NA", "NA", "NA", "y", "NA", "NA", "NA",
             "Traffic enforcement, personal use.", "NA", "NA"],
        ],
    )  # fmt: skip
    return folder


def checksum() -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of all its rows (updated_at and version included)."""
    sums = {}
    for table in TABLES:
        rows = db.session.execute(text(f"SELECT t::text FROM {table} t ORDER BY t::text")).scalars().all()  # noqa: S608 (a test's own constants)
        sums[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return sums


def test_the_sample_is_imported_with_sources_dates_figures_and_policies(app_context, tmp_path):
    summary = import_agency_files(write_sample(tmp_path / "scrape"))
    assert summary.tables["agencies"].new == 4
    assert summary.tables["sharing relations"].new == 2

    source = db.session.scalars(select(DataSource)).one()
    assert (source.publisher, source.licence) == ("The News & Observer", "MIT")
    assert source.attribution == "An analysis by The News & Observer"
    assert (source.collected_from, source.collected_to) == (date(2023, 7, 28), date(2024, 4, 26))

    agencies = {agency.name: agency for agency in db.session.scalars(select(Agency))}
    assert (agencies["Sylvania OH PD"].kind, agencies["Sylvania OH PD"].state) == ("police", "OH")
    assert (agencies["FBI"].kind, agencies["FBI"].state) == ("federal", None)
    assert agencies["Marshall County SO IN"].kind == "sheriff"
    assert agencies["FBI"].notes == "added from ex org check"
    assert agencies["Adrian MI PD"].notes is None
    assert {alias.normalized for alias in agencies["Sylvania OH PD"].aliases} == {"sylvania police"}

    sharing = db.session.scalars(select(AgencySharing).order_by(AgencySharing.to_agency_id)).all()
    assert {(row.from_agency.name, row.to_agency.name) for row in sharing} == {
        ("Sylvania OH PD", "Adrian MI PD"),
        ("Sylvania OH PD", "FBI"),
    }
    assert {(row.source, row.seen_on, row.recorded_by) for row in sharing} == {
        (PORTAL, date(2024, 4, 26), "import")
    }

    figures = {row.agency.name: row for row in db.session.scalars(select(AgencyPortalFigures))}
    sylvania = figures["Sylvania OH PD"]
    assert (sylvania.retention_text, sylvania.retention_days, sylvania.owned_cameras) == ("30 days", 30, 15)
    assert sylvania.external_organizations_with_access == 2  # the portal listed two names
    assert (sylvania.vehicles_detected_30d, sylvania.hotlist_hits_30d, sylvania.searches_30d) == (
        1234567,
        None,
        None,
    )
    adrian = figures["Adrian MI PD"]
    assert (adrian.retention_days, adrian.owned_cameras, adrian.external_organizations_with_access) == (
        None,
        None,
        988,
    )

    policies = {row.agency.name: row for row in db.session.scalars(select(AgencyPolicy))}
    assert policies["Sylvania OH PD"].prohibits_immigration_enforcement is True
    assert policies["Sylvania OH PD"].accessed_on == date(2023, 7, 28)
    assert policies["Adrian MI PD"].prohibits_immigration_enforcement is False
    # No date of its own: known by the scrape's date.
    assert policies["Adrian MI PD"].accessed_on == date(2024, 4, 26)


def test_a_second_import_of_the_same_files_changes_nothing(app_context, tmp_path):
    folder = write_sample(tmp_path / "scrape")
    import_agency_files(folder)
    before = checksum()
    summary = import_agency_files(folder)
    assert checksum() == before
    assert all(counts.new == counts.updated == 0 for counts in summary.tables.values()), summary.lines()


def test_a_newer_scrape_keeps_relations_it_no_longer_shows_and_moves_those_it_shows_again(
    app_context, tmp_path
):
    import_agency_files(write_sample(tmp_path / "april"))
    newer = write_sample(
        tmp_path / "october",
        access_name="agency_access20241015.csv",
        pairs=[["Sylvania OH PD", "Adrian MI PD", 2459, 14]],
    )
    (newer / "agency_access20240426.csv").unlink(missing_ok=True)
    summary = import_agency_files(newer)
    assert summary.sharing_not_seen_again == 1
    assert summary.tables["sharing relations"].updated == 1
    rows = {row.to_agency.name: row for row in db.session.scalars(select(AgencySharing))}
    assert rows["FBI"].retired_on is None and rows["FBI"].seen_on == date(2024, 4, 26)
    assert rows["Adrian MI PD"].seen_on == date(2024, 10, 15)
    assert db.session.scalars(select(DataSource)).one().collected_to == date(2024, 10, 15)


def test_a_relation_a_moderator_retired_is_not_brought_back_by_the_same_files(app_context, tmp_path):
    folder = write_sample(tmp_path / "scrape")
    import_agency_files(folder)
    relation = db.session.scalars(
        select(AgencySharing).join(AgencySharing.to_agency).where(Agency.name == "FBI")
    ).one()
    relation.retired_on, relation.retired_source = date(2024, 6, 1), "Council minutes, 2024-06-01"
    db.session.flush()
    summary = import_agency_files(folder)
    assert summary.tables["sharing relations"].new == 0
    assert (
        db.session.scalar(
            select(AgencySharing.id)
            .where(AgencySharing.retired_on.is_(None))
            .where(AgencySharing.to_agency_id == relation.to_agency_id)
        )
        is None
    )


def test_a_moderators_correction_of_kind_and_state_survives_a_reimport(app_context, tmp_path):
    folder = write_sample(tmp_path / "scrape")
    import_agency_files(folder)
    fbi = db.session.scalars(select(Agency).where(Agency.name == "FBI")).one()
    fbi.state = "DC"
    db.session.flush()
    import_agency_files(folder)
    db.session.refresh(fbi)
    assert fbi.state == "DC"


def test_a_missing_file_or_column_is_named(app_context, tmp_path):
    folder = write_sample(tmp_path / "scrape")
    (folder / "agency_access20240426.csv").unlink()
    with pytest.raises(ValueError, match=r"agency_access\*\.csv"):
        read_agency_files(folder)
    write_sample(folder)
    _write(folder / "agency20240426.csv", ["id", "title"], [[1, "x"]])
    with pytest.raises(ValueError, match="agency20240426.csv: missing column name"):
        read_agency_files(folder)


def test_the_command_prints_a_summary_and_refuses_a_broken_folder(app, tmp_path, committing_db):
    runner = app.test_cli_runner()  # not the `runner` fixture: that one's commits are rolled back
    folder = write_sample(tmp_path / "scrape")
    result = runner.invoke(args=["agencies", "import", str(folder)])
    assert result.exit_code == 0, result.output
    assert "agencies: 4 new, 0 updated, 0 unchanged" in result.output
    assert "sharing relations: 2 new" in result.output
    again = runner.invoke(args=["agencies", "import", str(folder)])
    assert "agencies: 0 new, 0 updated, 4 unchanged" in again.output
    skipped = runner.invoke(args=["agencies", "import", "--if-missing", str(folder)])
    assert "already imported" in skipped.output
    (folder / "agency20240426.csv").unlink()
    broken = runner.invoke(args=["agencies", "import", str(folder)])
    assert broken.exit_code != 0
    assert "agency*.csv" in broken.output


@pytest.mark.parametrize(
    ("cell", "days"),
    [("30 days", 30), ("365 days", 365), ("1 year", 365), ("NA", None), ("-Infinity days", None)],
)
def test_retention_is_read_as_days(cell, days):
    assert retention_days_in(cell) == days


def test_outside_organisations_are_a_number_or_a_list_of_names():
    assert organisations_in("988") == 988
    assert organisations_in("Adrian MI PD, Altoona IA PD , FBI") == 3
    assert organisations_in("NA") is None


@pytest.mark.parametrize(
    ("text", "prohibits"),
    [
        ("Immigration enforcement, traffic enforcement, harrassment or intimidation", True),
        ("Activities that are considered immigration enforcement.", True),
        ("Civil immigration enforcement; personal use", True),
        ("Enforcing federal immigration law", True),
        ("Traffic enforcement, harassment or intimidation, personal use.", False),
        (None, False),
    ],
)
def test_a_prohibition_of_immigration_enforcement_is_read_from_the_text(text, prohibits):
    assert prohibits_immigration_enforcement(text) is prohibits


def test_the_real_files_are_read_with_their_counts_and_policies():
    files = read_agency_files(AGENCIES)
    assert len(files.agencies) == 5152
    assert len(files.sharing) == 37099
    assert len(files.portal_figures) == 365
    prohibiting = sum(policy.prohibits_immigration_enforcement for policy in files.policies)
    mentioning = sum("immigra" in (policy.prohibited_uses or "").lower() for policy in files.policies)
    assert prohibiting == mentioning > 300
    assert (files.collected_from, files.collected_to) == (date(2023, 7, 28), date(2024, 4, 26))


def test_the_real_files_import_twice_and_the_second_time_changes_nothing(app_context):
    first = import_agency_files(AGENCIES)
    assert first.tables["agencies"].new == 5153  # one agency only the policy file names
    assert first.tables["sharing relations"].new == 37099
    updated = "SELECT max(updated_at), sum(version) FROM agencies"
    before, agencies_before = checksum(), db.session.execute(text(updated)).one()
    second = import_agency_files(AGENCIES)
    assert checksum() == before
    assert db.session.execute(text(updated)).one() == agencies_before
    assert all(counts.new == counts.updated == 0 for counts in second.tables.values()), second.lines()
