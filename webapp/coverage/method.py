"""What every coverage answer says about itself: what is counted, when, from which denominators, under which
licence and with whose credit. Pages, JSON answers and CSV files all take it from here."""

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import Limits
from webapp.opendata.licence import ATTRIBUTION as CAMERA_ATTRIBUTION
from webapp.opendata.licence import LICENCE, LICENCE_URL

# In the answer's language (English where there is no request: the files written after a commit).
COUNTED = _l(
    "Verified cameras only (hidden, removed and unreviewed ones are not counted), never demo cameras. "
    "'imported' are cameras from OpenStreetMap, 'reported' are community reports verified by a moderator; "
    "'cameras' is both."
)
BOUNDARY_CREDIT = (
    "Boundaries: US Census Bureau (public domain). "
    "Population and road miles: as the denominators' source says."
)
METHOD_DOC = "docs/coverage.md"


def as_of() -> str:
    """The moment the figures were read (UTC, to the minute): every figure is live, so this is its date."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ")


def denominator_sources() -> list[str]:
    """The source sentences of the loaded boundaries (one per import), for the method statement."""
    return list(db.session.scalars(text("SELECT DISTINCT source FROM areas ORDER BY source")))


def method_statement(with_denominators: bool = True) -> dict:
    statement = {
        "counted": str(COUNTED),
        "as_of": as_of(),
        "population_floor": Limits.AREA_POPULATION_FLOOR,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": f"{CAMERA_ATTRIBUTION}. {BOUNDARY_CREDIT}",
        "method": METHOD_DOC,
    }
    if with_denominators:
        statement["denominators"] = denominator_sources()
    return statement
