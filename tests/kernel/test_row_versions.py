"""`version` moves on once per UPDATE whoever writes (migrations/sql/row_versions): the ORM reads the new
value back, raw SQL sets nothing itself, and a write based on an old version is refused."""

import pytest
from sqlalchemy import text
from sqlalchemy.orm.exc import StaleDataError

from tests.factories import make_camera
from tests.support.agencies import link_operator, make_agency
from webapp.kernel.extensions import db


def stored_version(camera_id: int) -> int:
    return db.session.scalar(text("SELECT version FROM cameras WHERE id = :id"), {"id": camera_id})


def test_every_writer_moves_the_version_on_once(app_context):
    camera = make_camera(operator="Someone")
    assert camera.version == 1
    camera.vendor = "motorola-vigilant"
    db.session.flush()
    assert camera.version == 2 == stored_version(camera.id)  # read back, not counted twice
    db.session.execute(text("UPDATE cameras SET mount = 'pole' WHERE id = :id"), {"id": camera.id})
    assert stored_version(camera.id) == 3
    # A trigger's write is a write too: linking the operator text moves the camera under an agency.
    link_operator("Someone", make_agency("Someone PD", state="IL"))
    assert stored_version(camera.id) == 4
    db.session.refresh(camera)
    assert camera.agency_id is not None and camera.version == 4


def test_an_orm_write_over_a_newer_row_is_refused(app_context):
    camera = make_camera()
    db.session.execute(text("UPDATE cameras SET mount = 'pole' WHERE id = :id"), {"id": camera.id})
    camera.vendor = "genetec"  # the session still holds version 1
    with pytest.raises(StaleDataError):
        db.session.flush()
