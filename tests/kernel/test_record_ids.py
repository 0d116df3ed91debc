"""Ids in URLs (issue 20, finding 6): every route that takes a record id takes it through the kernel's `id`
converter, so an id beyond PostgreSQL's bigint is a 404 before any SQL runs (it was a 500, DataError, and an
"ERROR: bigint out of range" line in the database server's log)."""

import pytest
from sqlalchemy import event

from webapp.kernel.extensions import db

HUGE = "99999999999999999999"
BIGINT_MAX = 2**63 - 1


def test_every_id_in_a_path_goes_through_the_id_converter(app):
    from webapp.kernel.http.path_ids import BIGINT_MAX as CONVERTERS_MAX
    from webapp.kernel.http.path_ids import RecordIdConverter

    assert CONVERTERS_MAX == BIGINT_MAX
    id_arguments = []
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if name.endswith("_id"):
                id_arguments.append((rule.rule, name))
                assert isinstance(converter, RecordIdConverter), rule.rule
            # No other whole number in a path could reach the database unbounded.
            assert type(converter).__name__ != "IntegerConverter", rule.rule
    assert len(id_arguments) > 30


@pytest.fixture
def statements(app):
    """The SQL statements the test's requests send (none must be sent for an id out of range)."""
    sent = []

    def record(conn, cursor, statement, *args):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("raw", [HUGE, str(BIGINT_MAX + 1), "0", "9" * 5000])
def test_a_camera_id_out_of_range_is_a_404_without_sql(client, statements, raw):
    response = client.get(f"/cameras/{raw}")
    assert response.status_code == 404
    assert "There is nothing at this address." in response.get_data(as_text=True)
    assert statements == []


def test_the_largest_bigint_is_looked_up_and_not_found(client):
    assert client.get(f"/cameras/{BIGINT_MAX}").status_code == 404
    answer = client.get(f"/api/v1/agencies/{BIGINT_MAX}").get_json()
    assert answer["error"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/api/v1/agencies/{HUGE}"),
        ("get", f"/agencies/{HUGE}/relations"),
        ("post", f"/cameras/{HUGE}/flag"),
        ("get", f"/moderate/sightings/{HUGE}"),
        ("post", f"/api/v1/moderation/cameras/{HUGE}/correct"),
        ("post", f"/admin/users/{HUGE}/role"),
    ],
)
def test_huge_ids_are_404_on_public_moderator_and_admin_routes(admin_client, method, path):
    response = getattr(admin_client, method)(path)
    assert response.status_code == 404, (path, response.status_code)
