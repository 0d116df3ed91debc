"""Every table of counts a trigger keeps equals what its rebuild function computes from the cameras
(migrations/sql: area_counts, density_pyramid, agency_cells), after cameras made through normal writes; each
has a rebuild command and a check command that finds a count gone wrong."""

import pytest
from sqlalchemy import text

from tests.factories import make_camera, point
from tests.support.agencies import link_operator, make_agency
from tests.support.coverage_fixtures import load_testland
from webapp.kernel.data.models import OperatorLink
from webapp.kernel.extensions import db

KEPT_TABLES = [
    pytest.param(
        "SELECT geoid, vendor, operator, source, cameras FROM area_camera_counts WHERE cameras <> 0 "
        "ORDER BY 1, 2, 3, 4",
        "area_camera_counts",
        ["areas", "rebuild-counts"],
        ["areas", "check"],
        id="area counts",
    ),
    pytest.param(
        "SELECT z, x, y, cameras FROM density_cells WHERE cameras <> 0 ORDER BY 1, 2, 3",
        "density_cells",
        ["tiles", "rebuild"],
        ["tiles", "check"],
        id="density pyramid",
    ),
    pytest.param(
        "SELECT agency_id, vendor, cell_x, cell_y, cameras, round(lon_sum::numeric, 6), "
        "round(lat_sum::numeric, 6) FROM agency_camera_cells WHERE cameras <> 0 ORDER BY 1, 2, 3, 4",
        "agency_camera_cells",
        ["agencies", "rebuild-cells"],
        ["agencies", "check-cells"],
        id="agency cells",
    ),
]


def cameras_through_normal_writes(folder) -> None:
    """Cameras inserted, verified, moved (to another county and map cell), made demo, deleted, relinked to
    another agency, and changed many at once by one statement: every kind of write the triggers follow."""
    load_testland(folder)
    sheriff, police = make_agency("Square Sheriff", state="NE"), make_agency("Square Police", state="NE")
    link_operator("Sheriff", sheriff)
    cameras = [
        make_camera(-99.5 + i * 0.02, 40.5, operator="Sheriff", vendor=vendor)
        for i, vendor in enumerate(
            ["flock-safety", "flock-safety", "motorola-vigilant", "genetec", "flock-safety"]
        )
    ]
    make_camera(-98.5, 40.5, operator="Police")
    hidden = make_camera(-99.45, 40.45, status="hidden", operator="Sheriff")
    db.session.flush()
    hidden.status = "verified"  # verified (a moderator restores it)
    cameras[0].geom = point(-98.45, 40.55)  # moved into the second county and another cell
    cameras[1].demo = True  # a demo camera counts nowhere but on the map
    cameras[2].status = "hidden"
    cameras[3].vendor = "flock-safety"
    db.session.delete(cameras[4])
    db.session.flush()
    link_operator("Police", police)
    db.session.get(OperatorLink, ("sheriff", "")).agency_id = police.id  # relinked
    db.session.flush()
    db.session.execute(text("UPDATE cameras SET operator = 'Sheriff' WHERE operator = 'Police'"))
    db.session.expire_all()


@pytest.mark.parametrize(("kept_sql", "table", "rebuild", "check"), KEPT_TABLES)
def test_the_rebuild_computes_what_the_triggers_keep(
    app_context, runner, tmp_path, kept_sql, table, rebuild, check
):
    cameras_through_normal_writes(tmp_path)
    kept = db.session.execute(text(kept_sql)).all()
    assert kept, "the writes left counts to compare"
    checked = runner.invoke(args=check)
    assert checked.exit_code == 0, checked.output

    rebuilt = runner.invoke(args=rebuild)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "rebuilt" in rebuilt.output
    assert db.session.execute(text(kept_sql)).all() == kept

    # A count gone wrong is found by the check and put right by the rebuild.
    # (An identifier cannot be a bound parameter; the table's name comes from KEPT_TABLES above.)
    one_row = f"UPDATE {table} SET cameras = cameras + 1 WHERE ctid = (SELECT min(ctid) FROM {table})"  # noqa: S608
    db.session.execute(text(one_row))
    wrong = runner.invoke(args=check)
    assert wrong.exit_code == 1
    assert "rebuilt" in wrong.output or "actual" in wrong.output
    assert runner.invoke(args=rebuild).exit_code == 0
    assert db.session.execute(text(kept_sql)).all() == kept
    assert runner.invoke(args=check).exit_code == 0
