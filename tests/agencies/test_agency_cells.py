"""The per-agency map cells of migration 0011 (`agency_camera_cells`, per vendor since 0015) always equal a
fresh count of the citable cameras per agency, vendor and 0.1-degree cell, whatever happens to the cameras
(created, hidden, moved, given another vendor, marked demo, given another operator, their operator's link
changed, deleted), and the big maps read them."""

from sqlalchemy import text

from tests.factories import make_camera, point
from tests.support.agencies import link_operator, make_agency
from webapp.kernel.data.models import Camera, OperatorLink
from webapp.kernel.extensions import db

FRESH = """
    SELECT agency_id, vendor, floor(ST_X(geom) / 0.1)::integer, floor(ST_Y(geom) / 0.1)::integer, count(*),
           round(sum(ST_X(geom))::numeric, 6), round(sum(ST_Y(geom))::numeric, 6)
    FROM cameras WHERE camera_citable(status, demo) AND agency_id IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
"""
KEPT = """
    SELECT agency_id, vendor, cell_x, cell_y, cameras, round(lon_sum::numeric, 6), round(lat_sum::numeric, 6)
    FROM agency_camera_cells WHERE cameras <> 0 ORDER BY 1, 2, 3, 4
"""


def assert_cells_current():
    db.session.flush()
    fresh = [tuple(row) for row in db.session.execute(text(FRESH))]
    kept = [tuple(row) for row in db.session.execute(text(KEPT))]
    assert kept == fresh


def test_the_cells_follow_every_change_of_the_cameras(app_context):
    toledo, sylvania = make_agency("Toledo OH PD", state="OH"), make_agency("Sylvania OH PD", state="OH")
    link_operator("Toledo Police", toledo)
    cameras = [make_camera(-83.55 + i * 0.03, 41.65, operator="Toledo Police") for i in range(6)]
    make_camera(-83.7, 41.7, operator="Someone else")
    db.session.expire_all()
    assert_cells_current()
    assert db.session.execute(text("SELECT sum(cameras) FROM agency_camera_cells")).scalar_one() == 6

    cameras[5].vendor = "motorola-vigilant"
    assert_cells_current()
    cameras[0].status = "hidden"
    assert_cells_current()
    cameras[1].geom = point(-83.9, 41.95)  # into another cell
    assert_cells_current()
    cameras[2].demo = True
    assert_cells_current()
    cameras[3].operator = "Someone else"  # no longer under an agency
    assert_cells_current()
    db.session.delete(cameras[4])
    assert_cells_current()
    # A moderator links the other text to Sylvania, then moves Toledo's text to Sylvania too.
    link_operator("Someone else", sylvania)
    assert_cells_current()
    db.session.get(OperatorLink, ("toledo police", "")).agency_id = sylvania.id
    assert_cells_current()
    # A statement that changes many cameras at once, and the rebuild, agree.
    db.session.execute(text("UPDATE cameras SET status = 'verified', demo = false"))
    assert_cells_current()
    before = db.session.execute(text(KEPT)).all()
    db.session.execute(text("SELECT agency_cells_rebuild()"))
    assert db.session.execute(text(KEPT)).all() == before
    assert db.session.query(Camera).filter(Camera.agency_id == sylvania.id).count() == 6


def test_a_map_of_many_cameras_is_drawn_from_the_cells(client, app_context, monkeypatch):
    from webapp.agencies.public import camera_sets

    monkeypatch.setattr(camera_sets, "MAP_MAX_POINTS", 2)
    toledo = make_agency("Toledo OH PD", state="OH")
    link_operator("Toledo Police", toledo)
    for lon, lat in [(-83.55, 41.65), (-83.53, 41.67), (-83.25, 41.65)]:
        make_camera(lon, lat, operator="Toledo Police")
    db.session.commit()
    drawn = client.get(f"/api/v1/agencies/{toledo.id}/cameras/map").get_json()
    assert drawn["kind"] == "cells"
    # Two cameras share the cell at -83.6..-83.5, 41.6..41.7 and are drawn at their mean position.
    assert sorted(drawn["cells"]) == [[-83.54, 41.66, 2], [-83.25, 41.65, 1]]


def test_cameras_spread_wide_are_drawn_in_fewer_larger_cells(client, app_context, monkeypatch):
    from webapp.agencies.public import camera_sets

    monkeypatch.setattr(camera_sets, "MAP_MAX_POINTS", 2)
    toledo = make_agency("Toledo OH PD", state="OH")
    link_operator("Toledo Police", toledo)
    # Nine cameras in nine 0.1-degree cells of a 3 x 3 block, then one far away.
    for i in range(3):
        for j in range(3):
            make_camera(-83.55 + i * 0.1, 41.65 + j * 0.1, operator="Toledo Police")
    make_camera(-80.05, 41.65, operator="Toledo Police")
    db.session.commit()
    url = f"/api/v1/agencies/{toledo.id}/cameras/map"
    fine = client.get(url).get_json()
    assert fine["cell_degrees"] == 0.1 and len(fine["cells"]) == 10
    monkeypatch.setattr(camera_sets, "MAP_MAX_CELLS", 4)
    coarse = client.get(url).get_json()
    assert coarse["cell_degrees"] > 0.1 and len(coarse["cells"]) <= 4
    assert sum(cell[2] for cell in coarse["cells"]) == 10
