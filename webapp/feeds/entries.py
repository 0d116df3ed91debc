"""What a feed lists: the latest changes of citable cameras (verified, moved, taken down) in one place, from
`camera_changes` (kept by triggers on `cameras`, migration 0018), newest first, at most FEED_ENTRIES.
Only the day of a change exists anywhere. A camera hidden since (a poisoned report) drops out of every feed
with its whole history; a camera taken down from the street keeps its history and its removal."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.coverage.polygon import checked_shape
from webapp.coverage.shapes import Polygon
from webapp.kernel.errors import NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraStatus, Limits
from webapp.opendata.drawn_areas import keep_area

FEED_ENTRIES = 50


@dataclass(frozen=True)
class Change:
    id: int
    camera_id: int
    kind: str
    day: date
    vendor: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Place:
    """What a feed follows: its title and the SQL condition on camera_changes (`c`) and the camera as it is
    now (`camera`), with its parameters."""

    kind: str
    key: str
    title: str
    condition: str
    parameters: dict


CHANGES_SQL = """
    SELECT c.id, c.camera_id, c.kind, c.changed_on AS day, c.vendor,
           round(ST_Y(c.geom)::numeric, {digits})::float8 AS lat,
           round(ST_X(c.geom)::numeric, {digits})::float8 AS lon
    FROM camera_changes AS c JOIN cameras AS camera ON camera.id = c.camera_id
    WHERE {condition} AND camera.status IN ('{verified}', '{removed}')
    ORDER BY c.id DESC LIMIT :limit
"""


def latest_changes(place: Place) -> list[Change]:
    sql = CHANGES_SQL.format(
        condition=place.condition,
        digits=Limits.COORDINATE_DIGITS,
        verified=CameraStatus.VERIFIED,
        removed=CameraStatus.REMOVED,
    )
    rows = db.session.execute(text(sql), {**place.parameters, "limit": FEED_ENTRIES}).mappings()
    return [Change(**row) for row in rows]


def fingerprint(place: Place, changes: list[Change]) -> str:
    """The feed's ETag: it changes exactly when the entries do."""
    listed = [(place.kind, place.key, place.title)] + [(c.id, c.kind, c.day.isoformat()) for c in changes]
    return hashlib.sha256(json.dumps(listed).encode()).hexdigest()[:32]


def area_place(kind: str, geoid: str) -> Place:
    row = db.session.execute(
        text("SELECT name, state_geoid FROM areas WHERE geoid = :geoid AND kind = :kind"),
        {"geoid": geoid, "kind": kind},
    ).first()
    if row is None:
        if kind == "state":
            raise NotFound(_("No state has the GEOID %(geoid)s.", geoid=geoid))
        raise NotFound(_("No county has the GEOID %(geoid)s.", geoid=geoid))
    column = "camera.state_geoid" if kind == "state" else "camera.county_geoid"
    return Place(kind, geoid, row.name, f"{column} = :geoid", {"geoid": geoid})


def agency_place(agency_id: int) -> Place:
    name = db.session.scalar(text("SELECT name FROM agencies WHERE id = :id"), {"id": agency_id})
    if name is None:
        raise NotFound(_("There is no agency %(id)s.", id=agency_id))
    return Place("agency", str(agency_id), name, "camera.agency_id = :agency_id", {"agency_id": agency_id})


def drawn_place(area_hash: str) -> Place:
    if not db.session.scalar(text("SELECT true FROM feed_areas WHERE hash = :hash"), {"hash": area_hash}):
        raise NotFound(_("No drawn area has this address: draw it again on the coverage page."))
    return Place(
        "area",
        area_hash,
        _("a drawn area"),
        "ST_Intersects(c.geom, (SELECT geom FROM feed_areas WHERE hash = :hash))",
        {"hash": area_hash},
    )


def keep_drawn_area(polygons: list[Polygon]) -> str:
    """Keep a drawn polygon (checked as the coverage answer checks it: valid, bounded) under the hash of its
    normalised geometry, so the same polygon always gets the same feed; the hash."""
    shape, _km2 = checked_shape(polygons)
    return keep_area(shape)
