"""The density pyramid follows the cameras table by itself: set-based triggers adjust the cells a statement
touched, whatever the statement (ORM flush, bulk INSERT, UPDATE of many rows, DELETE), and a rebuild gives
the same counts."""

import mapbox_vector_tile
from sqlalchemy import select, text

from tests.factories import make_camera
from tests.support.maps import cell_count
from webapp.kernel.data.models import Camera, DensityCell
from webapp.kernel.extensions import db
from webapp.tiles.pyramid import pyramid_discrepancies, rebuild_pyramid

CHICAGO = (-87.6298, 41.8781)
DENVER = (-104.9903, 39.7392)


def national_count() -> int:
    return db.session.scalar(select(db.func.sum(DensityCell.cameras)).where(DensityCell.z == 0)) or 0


def test_a_verified_camera_counts_at_every_zoom(app_context):
    before = [cell_count(z, *CHICAGO) for z in range(14)]
    make_camera(*CHICAGO)
    assert [cell_count(z, *CHICAGO) for z in range(14)] == [count + 1 for count in before]
    assert pyramid_discrepancies() == []


def test_unverified_cameras_do_not_count_until_verified_and_leave_when_hidden_or_removed(app_context):
    camera = make_camera(*CHICAGO, status="hidden")
    assert cell_count(13, *CHICAGO) == 0
    camera.status = "verified"
    db.session.flush()
    assert cell_count(13, *CHICAGO) == 1 and cell_count(0, *CHICAGO) == 1
    camera.status = "removed"
    db.session.flush()
    assert cell_count(13, *CHICAGO) == 0 and national_count() == 0
    assert pyramid_discrepancies() == []


def test_a_moved_camera_moves_between_cells(app_context):
    camera = make_camera(*CHICAGO)
    db.session.execute(
        text("UPDATE cameras SET geom = ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) WHERE id = :id"),
        {"lon": DENVER[0], "lat": DENVER[1], "id": camera.id},
    )
    assert cell_count(13, *CHICAGO) == 0
    assert cell_count(13, *DENVER) == 1
    assert national_count() == 1
    assert pyramid_discrepancies() == []


def test_a_merge_and_a_delete_take_cameras_out(app_context):
    kept = make_camera(*CHICAGO)
    duplicate = make_camera(CHICAGO[0] + 0.0001, CHICAGO[1])
    assert cell_count(10, *CHICAGO) == 2
    # A merge folds the duplicate into the kept camera and takes it off the map.
    db.session.execute(
        text("UPDATE cameras SET confirmations = confirmations + 1 WHERE id = :id"), {"id": kept.id}
    )
    db.session.execute(text("UPDATE cameras SET status = 'removed' WHERE id = :id"), {"id": duplicate.id})
    assert cell_count(10, *CHICAGO) == 1
    db.session.execute(text("DELETE FROM cameras WHERE id = :id"), {"id": kept.id})
    assert cell_count(10, *CHICAGO) == 0
    assert pyramid_discrepancies() == []


def test_bulk_statements_are_counted_as_sets(app_context):
    # An import-shaped statement: thousands of rows in one INSERT .. ON CONFLICT, then a bulk UPDATE.
    insert = text(
        """
        INSERT INTO cameras (geom, status, vendor, source, osm_type, osm_id)
        SELECT ST_SetSRID(ST_MakePoint(-124 + (n % 500) * 0.107, 25 + (n / 500) * 1.9), 4326),
               CASE WHEN n % 7 = 0 THEN 'hidden' ELSE 'verified' END, 'flock-safety', 'osm', 'node', n
        FROM generate_series(1, 5000) AS n
        ON CONFLICT (osm_type, osm_id) DO UPDATE SET status = 'verified', vendor = EXCLUDED.vendor
        """
    )
    db.session.execute(insert)
    verified = db.session.scalar(select(db.func.count()).where(Camera.status == "verified"))
    assert national_count() == verified == 5000 - 5000 // 7
    # The same statement again updates every row (ON CONFLICT): hidden ones become verified.
    db.session.execute(insert)
    assert national_count() == 5000
    db.session.execute(text("UPDATE cameras SET status = 'hidden' WHERE osm_id <= 1000"))
    assert national_count() == 4000
    assert pyramid_discrepancies() == []


def test_rebuild_gives_the_counts_the_triggers_keep(app_context):
    for offset in range(12):
        make_camera(CHICAGO[0] + offset * 0.01, CHICAGO[1] + offset * 0.003)
    make_camera(*DENVER, status="hidden")
    incremental = db.session.execute(
        text("SELECT z, x, y, cameras FROM density_cells WHERE cameras > 0 ORDER BY z, x, y")
    ).all()
    result = rebuild_pyramid()
    rebuilt = db.session.execute(text("SELECT z, x, y, cameras FROM density_cells ORDER BY z, x, y")).all()
    assert rebuilt == incremental
    assert result.cells == len(rebuilt)
    assert pyramid_discrepancies() == []


def test_the_rebuild_command_repairs_a_damaged_pyramid(app_context, runner):
    make_camera(*CHICAGO)
    db.session.execute(text("UPDATE density_cells SET cameras = cameras + 5 WHERE z = 3"))
    assert runner.invoke(args=["tiles", "check"]).exit_code == 1
    result = runner.invoke(args=["tiles", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "density pyramid rebuilt" in result.output
    check = runner.invoke(args=["tiles", "check"])
    assert check.exit_code == 0 and "matches" in check.output


def test_a_committed_verification_shows_in_the_low_zoom_tile_at_once(app, committing_db):
    """With real commits, as in production: no rebuild, the next tile request sees the camera."""
    client = app.test_client()  # not the `client` fixture: that one's commits are rolled back

    def national_tile_total() -> int:
        response = client.get("/tiles/2/1/1.pbf")
        assert response.status_code == 200
        layers = mapbox_vector_tile.decode(response.data)
        return sum(
            feature["properties"]["count"] for feature in layers.get("density", {}).get("features", [])
        )

    with app.app_context():
        camera = make_camera(*CHICAGO, status="hidden")
        db.session.commit()
        camera_id = camera.id
    assert national_tile_total() == 0
    with app.app_context():
        db.session.get(Camera, camera_id).status = "verified"
        db.session.commit()
    assert national_tile_total() == 1


def test_concurrent_verifications_in_the_same_cells_are_both_counted(app, committing_db):
    """Two transactions verify cameras that share every low-zoom cell: the second waits on the first's
    cell locks, then adds to its count; nothing is lost and nothing deadlocks."""
    import threading

    with app.app_context():
        first = make_camera(*CHICAGO, status="hidden").id
        second = make_camera(CHICAGO[0] + 0.0005, CHICAGO[1], status="hidden").id
        db.session.commit()
        engine = db.engine
        verify = text("UPDATE cameras SET status = 'verified' WHERE id = :id")
        with engine.connect() as connection_a, engine.connect() as connection_b:
            transaction_a = connection_a.begin()
            connection_a.execute(verify, {"id": first})
            finished = threading.Event()

            def verify_second():
                with connection_b.begin():
                    connection_b.execute(verify, {"id": second})
                finished.set()

            worker = threading.Thread(target=verify_second)
            worker.start()
            # B waits on the cells A holds until A commits.
            assert not finished.wait(0.5)
            transaction_a.commit()
            worker.join(timeout=10)
            assert finished.is_set()
        assert national_count() == 2
        assert cell_count(10, *CHICAGO) == 2
        assert pyramid_discrepancies() == []
