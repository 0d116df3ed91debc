"""The rule "two cameras' directions allow them to be one camera" is written twice: in Python
(camera_fields.directions.directions_compatible, for the moderation queue) and in SQL (the fragment
osm_reconcile.COMPATIBLE_SQL, for the links it proposes between OpenStreetMap and reported cameras in one
statement). This holds the two equal on every pair the rule can tell apart."""

import itertools

from sqlalchemy import text

from webapp.camera_fields.directions import COMPATIBLE_DIRECTION_DEGREES, directions_compatible
from webapp.cameras.osm_reconcile import COMPATIBLE_SQL

# Around the limit (45 degrees), across north (0/359) and opposite bearings.
BEARINGS = (0, 44, 45, 46, 90, 180, 314, 315, 316, 359)
DIRECTION_SETS = [[], *([b] for b in BEARINGS), [0, 180], [90, 270], [10, 350], [134, 226]]


def test_the_sql_fragment_and_python_agree_on_every_pair(app_context, db_session):
    pairs = list(itertools.product(DIRECTION_SETS, repeat=2))
    statement = text(
        f"SELECT {COMPATIBLE_SQL.format(a='a', b='b')} "  # noqa: S608 (the fragment under test; values bound)
        "FROM (SELECT CAST(:a AS integer[]) AS directions) AS a, "
        "(SELECT CAST(:b AS integer[]) AS directions) AS b"
    )
    in_sql = [db_session.scalar(statement, {"a": a, "b": b}) for a, b in pairs]
    in_python = [directions_compatible(a, b) for a, b in pairs]
    assert in_sql == in_python
    # Both answers occur: the limit itself is compatible, one degree more is not.
    assert directions_compatible([0], [COMPATIBLE_DIRECTION_DEGREES])
    assert not directions_compatible([0], [COMPATIBLE_DIRECTION_DEGREES + 1])
