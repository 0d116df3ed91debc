"""The generated network log (webapp.searches.synthetic) is shaped like a real one, and imports as one:
monthly files, Zipf-like volume by searching agency, heavily repeated reasons, about 2 %
immigration-related."""

import csv
from collections import Counter

from sqlalchemy import text

from tests.support.agencies import make_agency
from tests.support.search_logs import import_file
from webapp.kernel.extensions import db
from webapp.searches.classification import classify
from webapp.searches.log_files import parse_time_frame
from webapp.searches.synthetic import SyntheticLog, write_network_log


def test_the_generated_log_is_shaped_like_a_real_one(tmp_path):
    paths = write_network_log(tmp_path, SyntheticLog(rows=20_000, months=4, searching_agencies=2000, seed=3))
    assert [path.name for path in paths] == [f"network_audit_2023-0{month}.csv" for month in range(1, 5)]
    rows = [row for path in paths for row in csv.DictReader(path.open(newline="", encoding="utf-8"))]
    assert len(rows) == 20_000
    by_agency = Counter(row["Org Name"] for row in rows).most_common()
    # Zipf-like: the busiest agency runs far more than the median one, and most agencies appear.
    assert by_agency[0][1] > 50 * by_agency[len(by_agency) // 2][1]
    assert len(by_agency) > 1000
    reasons = Counter(row["Reason"] for row in rows)
    assert len(reasons) < len(rows) / 2  # heavily repeated (case numbers make the rest distinct)
    immigration = sum(count for reason, count in reasons.items() if classify(reason).immigration)
    assert 0.01 < immigration / len(rows) < 0.03
    assert all(parse_time_frame(row["Time Frame"]) for row in rows[:100])
    assert {row["Name"] for row in rows} == {row["License Plate"] for row in rows} == {"***"}


def test_the_generated_log_imports_and_imports_again_as_known(app_context, tmp_path):
    owner = make_agency("Aubrey TX PD", state="TX")
    paths = write_network_log(tmp_path / "log", SyntheticLog(rows=3000, months=3, searching_agencies=300))
    assert [import_file(path, owner).stored for path in paths] == [1000, 1000, 1000]
    assert db.session.execute(text("SELECT sum(searches) FROM search_counts")).scalar() == 3000
    copies = write_network_log(tmp_path / "again", SyntheticLog(rows=3000, months=3, searching_agencies=300))
    # The generator is deterministic for a seed: the same bytes again, recognised as files already imported.
    assert all(import_file(path, owner).already_imported for path in copies)
