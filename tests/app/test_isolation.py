"""Each test's writes, even committed ones, are rolled back before the next test (tests run in file order),
and a test that did not ask for the database cannot reach it."""

import pytest
from sqlalchemy import func, select

from tests.factories import make_camera
from webapp.kernel.data.models import Camera
from webapp.kernel.extensions import db


def test_a_commit_inside_a_test(app_context):
    make_camera(note_marker := -100.0, 40.0)
    db.session.commit()
    assert db.session.scalar(
        select(func.count()).select_from(Camera).where(func.ST_X(Camera.geom) == note_marker)
    )


def test_b_sees_nothing_of_the_previous_test(app_context):
    assert db.session.scalar(select(func.count()).select_from(Camera)) == 0


def test_c_a_test_that_asks_for_no_database_cannot_use_it(app):
    """Only `db_session` (or a fixture that asks for it), `committing_db` and `own_database` open the database
    to a test, so no test can write outside a rolled-back transaction by forgetting to ask."""
    with app.app_context(), pytest.raises(RuntimeError, match="without asking for it"):
        db.session.scalar(select(func.count()).select_from(Camera))
