"""The searcher x month rollup (migration 0021) that the answers over a period list searchers from: kept by
the import (both ways of storing a file), rebuilt by a reclassification, and what a period's answer says."""

from datetime import timedelta

from sqlalchemy import text

from tests.support.agencies import make_agency
from tests.support.search_logs import import_file, search_row, write_csv
from webapp.kernel.extensions import db
from webapp.searches import classification
from webapp.searches.across_logs import LIST_MAX
from webapp.searches.filters import parse_filters
from webapp.searches.policy_practice import _listed
from webapp.searches.reclassification import reclassify
from webapp.searches.rows import window_length
from webapp.searches.searched_by import searched_by

NOVEMBER, DECEMBER = "11/14/2025, 09:53:{:02d} AM UTC", "12/02/2025, 10:00:{:02d} PM UTC"


def rollup() -> dict:
    rows = db.session.execute(
        text(
            "SELECT to_char(c.month, 'YYYY-MM') AS month, s.name, c.searches, c.immigration, c.multi_network "
            "FROM search_searcher_months AS c JOIN search_searchers AS s ON s.id = c.searcher_id"
        )
    ).all()
    return {(row.month, row.name): (row.searches, row.immigration, row.multi_network) for row in rows}


def test_the_searcher_month_rollup_follows_imports_and_reclassification(app_context, tmp_path, monkeypatch):
    owner = make_agency("Aubrey TX PD", state="TX")
    rows = [
        search_row("1", org="Tulsa OK PD", reason="ICE", at=NOVEMBER.format(1), networks=1),
        search_row("2", org="Tulsa OK PD", reason="HSI", at=NOVEMBER.format(2), networks=5),
        search_row("3", org="Belton TX PD", reason="theft", at=NOVEMBER.format(3), networks=2),
        search_row("4", org="Tulsa OK PD", reason="HSI", at=DECEMBER.format(4), networks=1),
    ]
    import_file(write_csv(tmp_path / "first.csv", rows[:3]), owner)  # copied straight into searches
    # December, and November's first search again: the duplicate check's way.
    import_file(write_csv(tmp_path / "second.csv", [rows[0], rows[3]]), owner)
    assert rollup() == {
        ("2025-11", "Tulsa OK PD"): (2, 1, 1),
        ("2025-11", "Belton TX PD"): (1, 0, 1),
        ("2025-12", "Tulsa OK PD"): (1, 0, 0),
    }
    november = searched_by(owner.id, parse_filters({"from": "2025-11", "to": "2025-11"}), top=10)
    listed = {entry["name"]: (entry["searches"], entry["immigration"]) for entry in november["by_searcher"]}
    assert listed == {"Tulsa OK PD": (2, 1), "Belton TX PD": (1, 0)}
    assert november["searching_agencies"] == 2
    # Version 2 of the rules counts HSI as ICE (a change for the test's sake).
    monkeypatch.setattr(classification, "RULE_VERSION", 2)
    monkeypatch.setattr(
        classification, "category_of", lambda reason: "ice" if reason in ("HSI", "ICE") else "other"
    )
    reclassify()
    assert rollup() == {
        ("2025-11", "Tulsa OK PD"): (2, 2, 1),
        ("2025-11", "Belton TX PD"): (1, 0, 1),
        ("2025-12", "Tulsa OK PD"): (1, 1, 0),
    }


def test_two_files_of_one_month_add_count_rows_that_the_answers_sum(app_context, tmp_path):
    """search_counts has no unique key (migration 0023): a second file of a month the log already counts adds
    rows beside the first file's, and every answer adds them up."""
    owner = make_agency("Aubrey TX PD", state="TX")
    first = [search_row("1", reason="ICE", at=NOVEMBER.format(1), networks=2)]
    second = [
        search_row("2", reason="ICE", at=NOVEMBER.format(2), networks=1),
        search_row("3", at=NOVEMBER.format(3), networks=1),
    ]
    import_file(write_csv(tmp_path / "first.csv", first), owner)
    import_file(write_csv(tmp_path / "second.csv", second), owner)
    rows = db.session.execute(
        text("SELECT category, searches FROM search_counts ORDER BY category, searches")
    ).all()
    assert [tuple(row) for row in rows] == [("ice", 1), ("ice", 1), ("other", 1)]
    answer = searched_by(owner.id, parse_filters({}), top=10)
    assert (answer["total"], answer["immigration"], answer["multi_network"]) == (3, 2, 1)
    [searcher] = answer["by_searcher"]
    assert (searcher["searches"], searcher["immigration"]) == (3, 2)
    by_searcher = searched_by(owner.id, parse_filters({"searcher": str(searcher["id"])}), top=10)
    assert [(entry["category"], entry["searches"]) for entry in by_searcher["by_category"]] == [
        ("ice", 2),
        ("other", 1),
    ]
    period = searched_by(owner.id, parse_filters({"from": "2025-11", "category": "immigration"}), top=10)
    assert period["by_searcher"][0]["searches"] == 2


def test_policy_answers_look_up_only_the_searchers_they_can_list():
    # Log 1: LIST_MAX searchers with 10 searches and more, one more tied at the cut, one below it; log 2: two.
    rows = [{"log_id": 1, "searcher_id": n, "searches": 10 + LIST_MAX - n} for n in range(1, LIST_MAX + 1)]
    rows += [
        {"log_id": 1, "searcher_id": -1, "searches": 10},
        {"log_id": 1, "searcher_id": -2, "searches": 9},
    ]
    rows += [{"log_id": 2, "searcher_id": 7, "searches": 3}, {"log_id": 2, "searcher_id": 8, "searches": 1}]
    listed = {(row["log_id"], row["searcher_id"]) for row in _listed(rows) if row["listed"]}
    assert (1, LIST_MAX) in listed and (1, -1) in listed and (1, -2) not in listed
    assert len(listed) == LIST_MAX + 1 + 2


def test_the_rows_behind_a_figure_read_shorter_windows_in_a_dense_log():
    def log(searches: int) -> dict:
        return {"searches": searches, "first_day": "2023-01-01", "last_day": "2025-08-31"}  # 974 days

    assert window_length(log(1_000_000)) == timedelta(days=7)
    assert window_length(log(4_000_000)) == timedelta(hours=20_000 * 974 * 24 // 4_000_000)
    assert window_length(log(17_000_000)) == timedelta(hours=27)
    assert window_length(log(10**12)) == timedelta(hours=1)
    assert window_length({"searches": 0, "first_day": None, "last_day": None}) == timedelta(days=7)
