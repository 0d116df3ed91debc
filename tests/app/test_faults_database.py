"""The database stops while the app serves: clear 503s, never a stack trace; when it is back, the app serves
again by itself (pool pre-ping), with no restart."""

import pytest
from flask_migrate import upgrade

from tests.factories import make_camera
from tests.support.pgcluster import TemporaryCluster
from webapp.kernel.extensions import db

# Routes that read the database: an HTML page, the JSON API and a vector tile ("{camera}" is filled in).
DATABASE_ROUTES = ["/cameras/{camera}", "/api/v1/cameras?bbox=-87.7,41.8,-87.6,41.9", "/tiles/10/262/380.pbf"]


@pytest.fixture
def own_cluster():
    cluster = TemporaryCluster()
    cluster.start()
    yield cluster
    cluster.destroy()


def test_database_outage_answers_503_then_recovers_alone(own_cluster, app_with, own_database):
    app = app_with(SQLALCHEMY_DATABASE_URI=own_cluster.url)
    with app.app_context():
        upgrade()
        camera_id = make_camera(-87.63, 41.88).id
        db.session.commit()
    routes = [route.format(camera=camera_id) for route in DATABASE_ROUTES]
    client = app.test_client()
    for route in routes:
        assert client.get(route).status_code == 200, route

    own_cluster.stop()
    for route in routes:
        response = client.get(route)
        body = response.get_data(as_text=True)
        assert response.status_code == 503, route
        assert "Traceback" not in body and "psycopg" not in body and "sqlalchemy" not in body.lower()
        assert response.headers["Retry-After"]
        if route.startswith(("/api/", "/tiles/")):
            assert response.get_json() == {
                "error": "unavailable",
                "message": "The database is unavailable right now. Please try again in a minute.",
            }
        else:
            assert "The database is unavailable right now" in body

    own_cluster.start()
    took = own_cluster.wait_until(lambda: all(client.get(r).status_code == 200 for r in routes), 5)
    assert took < 5
    with app.app_context():
        db.engine.dispose()
