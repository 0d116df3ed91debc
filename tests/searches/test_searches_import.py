"""Importing audit logs (issue 21, items 1, 3 and 4): real CSV and XLSX files written here, read by header in
any order or without a header, stored once however often they come, rolled up, classified and reclassified,
with each searching agency placed as federal, in-state or out-of-state."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from tests.support.agencies import make_agency
from tests.support.search_logs import HEADER, import_file, search_row, write_csv, write_xlsx
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SearchLogKind
from webapp.searches import classification
from webapp.searches.cli import cli
from webapp.searches.filters import parse_filters
from webapp.searches.logs import log_of
from webapp.searches.reclassification import reclassify
from webapp.searches.rows import rows_page
from webapp.searches.searchers import searcher_places


@pytest.fixture
def owner(app_context):
    return make_agency("Aubrey TX PD", state="TX")


def stored(log_file_id: int | None = None) -> list:
    return db.session.execute(
        text(
            """
            SELECT s.row_number, s.searched_at, s.window_start_s, s.window_end_s, s.networks, s.devices,
                   s.moderation, r.reason, ss.name AS searcher, t.name AS search_type, s.occurrence, s.file_id
            FROM searches s JOIN search_reasons r ON r.id = s.reason_id
            JOIN search_searchers ss ON ss.id = s.searcher_id JOIN search_types t ON t.id = s.search_type_id
            WHERE CAST(:file AS integer) IS NULL OR s.file_id = :file
            ORDER BY s.file_id, s.row_number
            """
        ),
        {"file": log_file_id},
    ).all()


def counts(table: str, column: str) -> dict:
    return dict(
        db.session.execute(text(f"SELECT {column}, sum(searches) FROM {table} GROUP BY 1")).all()  # noqa: S608
    )


def test_a_network_log_with_a_bom_two_line_time_frames_and_bad_bytes_is_stored_without_personal_cells(
    owner, tmp_path
):
    path = write_csv(
        tmp_path / "network.csv",
        [
            search_row(
                "a1", reason="ICE detainer", name="Officer Jane Roe", plate="7ABC123", case="25-000111"
            ),
            search_row("a2", org="Belton TX PD", reason="stolen vehicle plate 8XYZ999", networks=1),
            search_row("a3", org="HSI Houston TX", reason="", at="12/01/2025, 01:02:03 PM UTC", frame=""),
        ],
    )
    # A byte that is not UTF-8 inside the third row's reason.
    path.write_bytes(
        path.read_bytes().replace(b"HSI Houston TX,3,,***,,", b"HSI Houston TX,3,,***,ca\xffse,")
    )
    summary = import_file(path, owner)
    assert (summary.rows_read, summary.stored, summary.known, summary.refused) == (3, 3, 0, 0)
    rows = stored()
    first = rows[0]
    assert first.searched_at == datetime(2025, 11, 14, 9, 53, 36, tzinfo=UTC)
    assert (first.window_start_s, first.window_end_s) == (-7 * 86400, 0)
    # No Total Devices Searched column: stored as -1, not NULL (no null bitmap in the row, migration 0023).
    assert (first.networks, first.devices, first.searcher, first.search_type) == (
        3,
        -1,
        "Tulsa OK PD",
        "search",
    )
    assert rows[1].reason == "stolen vehicle [plate]"
    assert rows[2].reason == "ca\ufffdse" and rows[2].window_start_s is None
    assert rows[2].searched_at == datetime(2025, 12, 1, 13, 2, 3, tzinfo=UTC)
    log_file = db.session.execute(text("SELECT * FROM search_log_files")).one()
    assert (log_file.file_format, log_file.rows_stored, log_file.title) == ("csv", 3, "Records request 21")
    assert log_file.first_search_at == datetime(2025, 11, 14, 9, 53, 36, tzinfo=UTC)
    assert counts("search_counts", "category") == {"ice_hold": 1, "other": 2}
    assert counts("search_month_counts", "month") == {
        datetime(2025, 11, 1).date(): 2,
        datetime(2025, 12, 1).date(): 1,
    }
    assert db.session.execute(text("SELECT count(*) FROM searches WHERE devices IS NULL")).scalar() == 0
    # The rows behind a figure say the count is missing, as they did when it was NULL.
    page = rows_page(log_of(owner.id, SearchLogKind.NETWORK), parse_filters({}), None, 10)
    assert [row["devices"] for row in page["rows"]] == [None, None, None]


def test_searchers_go_through_the_matcher_and_are_placed_from_the_owner(owner, tmp_path):
    belton = make_agency("Belton TX PD", state="TX")
    path = write_csv(
        tmp_path / "network.csv",
        [
            search_row("1", org="Belton TX PD"),
            search_row("2", org="Tulsa OK PD"),
            search_row("3", org="ICE ERO Houston"),
            search_row("4", org="Somewhere Unknown"),
        ],
    )
    import_file(path, owner)
    log_id = db.session.execute(text("SELECT id FROM search_logs")).scalar()
    places = {place["name"]: place for place in searcher_places(log_id).values()}
    assert places["Belton TX PD"] == {"name": "Belton TX PD", "agency_id": belton.id, "relation": "in_state"}
    assert places["Tulsa OK PD"]["relation"] == "out_of_state"
    assert places["ICE ERO Houston"]["relation"] == "federal"
    assert places["Somewhere Unknown"]["relation"] == "unknown"
    links = dict(db.session.execute(text("SELECT operator_key, state FROM operator_links")).all())
    assert links["belton tx pd"] == "linked"
    assert set(links) == {"belton tx pd", "tulsa ok pd", "ice ero houston", "somewhere unknown"}


def test_a_moderators_decision_on_the_text_places_the_searcher(owner, tmp_path):
    import_file(write_csv(tmp_path / "n.csv", [search_row("1", org="Harris Cnty Constable Pct 4")]), owner)
    log_id = db.session.execute(text("SELECT id FROM search_logs")).scalar()
    assert [place["relation"] for place in searcher_places(log_id).values()] == ["unknown"]
    constable = make_agency("Harris County Constable Precinct 4", state="TX")
    db.session.execute(
        text("UPDATE operator_links SET state = 'confirmed', agency_id = :a WHERE operator_key = :k"),
        {"a": constable.id, "k": "harris cnty constable pct 4"},
    )
    assert [place["relation"] for place in searcher_places(log_id).values()] == ["in_state"]


def test_columns_are_found_by_name_in_any_order_and_extra_columns_are_ignored(owner, tmp_path):
    header = (
        "reason",
        "EXTRA",
        "search time",
        "ORG NAME",
        "Total Devices Searched",
        "moderation",
        "Offense Type",
    )
    rows = [
        {
            "reason": "DHS request",
            "search time": "2025-11-14T09:53:36Z",
            "ORG NAME": "Tulsa OK PD",
            "Total Devices Searched": "1,204",
            "moderation": "warn",
            "EXTRA": "secret",
            "Offense Type": "x",
        },
    ]
    summary = import_file(write_csv(tmp_path / "shuffled.csv", rows, header=header, bom=False), owner)
    assert summary.stored == 1
    [row] = stored()
    assert (row.reason, row.devices, row.moderation, row.networks) == ("DHS request", 1204, 2, 0)


def test_a_headerless_xlsx_is_read_in_the_vendor_order_and_is_the_same_searches_as_its_csv(owner, tmp_path):
    xlsx_header = (*HEADER[:4], "Total Devices Searched", *HEADER[4:])
    rows = [
        {**search_row("x1", reason="Immigration (civil/administrative)"), "Total Devices Searched": 40},
        {
            **search_row("x2", org="Belton TX PD", at="11/15/2025, 11:00:00 PM UTC"),
            "Total Devices Searched": 2,
        },
    ]
    path = write_xlsx(tmp_path / "log.xlsx", rows, header=xlsx_header, with_header=False)
    summary = import_file(path, owner)
    assert (summary.rows_read, summary.stored) == (2, 2)
    first, second = stored()
    assert (first.devices, first.reason, first.window_start_s) == (
        40,
        "Immigration (civil/administrative)",
        -604800,
    )
    assert second.searched_at == datetime(2025, 11, 15, 23, 0, tzinfo=UTC)
    assert counts("search_counts", "category") == {"immigration_dropdown": 1, "other": 1}
    again = import_file(write_csv(tmp_path / "log.csv", rows, header=xlsx_header), owner)
    assert (again.rows_read, again.stored, again.known) == (2, 0, 2)
    with_header = import_file(write_xlsx(tmp_path / "with_header.xlsx", rows, header=xlsx_header), owner)
    assert (with_header.stored, with_header.known) == (0, 2)


def test_the_same_search_is_stored_once_however_often_it_comes(owner, tmp_path):
    november = [search_row(str(number), at=f"11/14/2025, 09:53:{number:02d} AM UTC") for number in range(10)]
    first = import_file(write_csv(tmp_path / "nov.csv", november), owner)
    assert first.stored == 10
    # The same bytes: recognised as the same file.
    repeat = import_file(tmp_path / "nov.csv", owner)
    assert repeat.already_imported and repeat.file_id == first.file_id
    # Overlapping export without IDs (a portal's file): only the two searches it alone holds are new.
    overlap = [{**row, "ID": ""} for row in november[5:]] + [
        search_row(at="11/20/2025, 10:00:00 AM UTC"),
        search_row(at="11/20/2025, 10:00:01 AM UTC"),
    ]
    second = import_file(write_csv(tmp_path / "overlap.csv", overlap, header=HEADER[1:]), owner)
    assert (second.rows_read, second.stored, second.known) == (7, 2, 5)
    assert db.session.execute(text("SELECT searches FROM search_logs")).scalar() == 12
    assert sum(counts("search_counts", "category").values()) == 12


def test_lookups_that_look_alike_are_each_stored_and_a_repeated_id_is_one_search(owner, tmp_path):
    # Three automatic lookups by one agency in one second differ only by the plate, which is dropped.
    alike = [search_row(plate=plate, search_type="lookup") for plate in ("AAA1111", "BBB2222", "CCC3333")]
    assert import_file(write_csv(tmp_path / "alike.csv", alike), owner).stored == 3
    # Another export of the same second: the three are known, a fourth is new.
    more = [*alike, search_row(plate="DDD4444", search_type="lookup")]
    again = import_file(write_csv(tmp_path / "more.csv", more, header=HEADER[1:]), owner)
    assert (again.stored, again.known) == (1, 3)
    # With IDs: a row repeated in one file is one search.
    with_ids = [search_row("id-9", reason="burglary"), search_row("id-9", reason="burglary")]
    assert import_file(write_csv(tmp_path / "ids.csv", with_ids), owner).stored == 1
    assert [row.occurrence for row in stored()] == [1, 2, 3, 4, 1]


def test_an_org_log_is_a_log_of_its_own_and_its_searches_are_the_owners(owner, tmp_path):
    rows = [search_row("o1", org="", name="Sgt Pepper", plate="ABC1234", reason="custody dispute")]
    header = tuple(column for column in HEADER if column != "Org Name")
    summary = import_file(write_csv(tmp_path / "org.csv", rows, header=header), owner, kind=SearchLogKind.ORG)
    assert summary.stored == 1
    assert stored()[0].searcher == "Aubrey TX PD"
    kinds = db.session.execute(text("SELECT kind FROM search_logs")).scalars().all()
    assert kinds == ["org"]
    tags = db.session.execute(text("SELECT tags FROM search_reason_classes")).scalar()
    assert tags == ["custody_civil"]


def test_a_few_unreadable_rows_are_refused_and_counted(owner, tmp_path):
    rows = [search_row(str(number), at=f"11/14/2025, 09:{number:02d}:00 AM UTC") for number in range(40)]
    rows[3]["Search Time"] = "yesterday"
    rows[7]["Time Frame"] = "last week"
    summary = import_file(write_csv(tmp_path / "some_bad.csv", rows), owner)
    assert (summary.rows_read, summary.stored, summary.refused) == (40, 38, 2)
    assert summary.refusals == {"unreadable Search Time": 1, "unreadable Time Frame": 1}
    log_file = db.session.execute(text("SELECT rows_refused, refusals FROM search_log_files")).one()
    assert log_file.rows_refused == 2 and log_file.refusals["unreadable Search Time"] == 1


def test_reclassify_applies_a_new_rule_version_from_the_searches(owner, tmp_path, monkeypatch):
    rows = [
        search_row(str(n), reason=reason, networks=networks)
        for n, (reason, networks) in enumerate([("HSI", 2), ("HSI", 1), ("ICE", 3), ("theft", 1)])
    ]
    import_file(write_csv(tmp_path / "log.csv", rows), owner)
    assert counts("search_counts", "category") == {"hsi": 2, "ice": 1, "other": 1}
    before = db.session.execute(text("SELECT sum(multi_network), count(*) FROM search_counts")).one()
    # Version 2 of the rules counts HSI as ICE (a change for the test's sake).
    monkeypatch.setattr(classification, "RULE_VERSION", 2)
    monkeypatch.setattr(
        classification, "category_of", lambda reason: "ice" if reason in ("HSI", "ICE") else "other"
    )
    result = reclassify()
    assert (result.version, result.reasons, result.logs) == (2, 3, 1)
    assert counts("search_counts", "category") == {"ice": 3, "other": 1}
    # The answers' rollup follows through its triggers (rows at zero stay).
    assert {key: n for key, n in counts("search_searcher_counts", "category").items() if n} == {
        "ice": 3,
        "other": 1,
    }
    # Recounted from the searches: the multi-network searches and the rows of the months and types.
    after = db.session.execute(text("SELECT sum(multi_network), count(*) FROM search_counts")).one()
    assert (after[0], before[0]) == (2, 2) and after[1] == 2
    versions = db.session.execute(
        text("SELECT rule_version, count(*) FROM search_reason_classes GROUP BY 1 ORDER BY 1")
    ).all()
    assert [tuple(row) for row in versions] == [(1, 3), (2, 3)]
    assert db.session.execute(text("SELECT rule_version FROM search_logs")).scalar() == 2
    # Code of the older version refuses to import into logs classified under the newer one.
    monkeypatch.setattr(classification, "RULE_VERSION", 1)
    with pytest.raises(Exception, match="version 2"):
        import_file(write_csv(tmp_path / "more.csv", [search_row("9")]), owner)


def test_the_cli_imports_files_and_says_what_it_did(owner, tmp_path, runner):
    path = write_csv(
        tmp_path / "cli.csv", [search_row("1"), search_row("2", at="11/14/2025, 10:00:00 AM UTC")]
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("city,population\nAubrey,7000\n", encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "import",
            str(path),
            str(bad),
            "--kind",
            "network",
            "--agency",
            "aubrey tx pd",
            "--title",
            "Request 7",
            "--url",
            "https://example.org/7",
            "--received",
            "2025-12-01",
        ],
    )
    assert result.exit_code == 1, result.output
    assert (
        "cli.csv: file" in result.output
        and "2 rows read, 2 stored, 0 already known, 0 refused" in result.output
    )
    assert "bad.csv: refused, nothing imported: This is not an audit log" in result.output
    assert "1 of 2 files imported" in result.output
    event = db.session.execute(
        text("SELECT actor_id, target_type, reason FROM moderation_events WHERE action = 'import_search_log'")
    ).one()
    assert (event.actor_id, event.target_type) == (None, "search_log_file")
    assert event.reason.startswith("cli.csv: 2 searches stored, 0 known, 0 refused")
    unknown = runner.invoke(
        cli,
        [
            "import",
            str(path),
            "--kind",
            "network",
            "--agency",
            "Nowhere PD",
            "--title",
            "t",
            "--received",
            "2025-12-01",
        ],
    )
    assert unknown.exit_code == 1 and "No agency is named “Nowhere PD”" in unknown.output
