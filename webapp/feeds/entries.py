"""What a feed lists: the latest changes of citable cameras (verified, moved, taken down) in one place, from
`camera_changes` (kept by triggers on `cameras`, migration 0018), newest first, at most FEED_ENTRIES.
Only the day of a change exists anywhere. A camera hidden since (a poisoned report) drops out of every feed
with its whole history; a camera taken down from the street keeps its history and its removal."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Float, Numeric, cast, func, select

from webapp.coverage.polygon import checked_shape
from webapp.coverage.shapes import Polygon
from webapp.kernel.data.models import Agency, Area, Camera, CameraChange, FeedArea
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


# eq=False: a condition is an SQL expression, which compares by building SQL, not by value.
@dataclass(frozen=True, eq=False)
class Place:
    """What a feed follows: its title and the condition on `CameraChange` and on the camera as it is now
    (`Camera`)."""

    kind: str
    key: str
    title: str
    condition: ColumnElement[bool]


def _rounded(coordinate: ColumnElement) -> ColumnElement[float]:
    return cast(func.round(cast(coordinate, Numeric), Limits.COORDINATE_DIGITS), Float)


def latest_changes(place: Place) -> list[Change]:
    query = (
        select(
            CameraChange.id,
            CameraChange.camera_id,
            CameraChange.kind,
            CameraChange.changed_on.label("day"),
            CameraChange.vendor,
            _rounded(func.ST_Y(CameraChange.geom)).label("lat"),
            _rounded(func.ST_X(CameraChange.geom)).label("lon"),
        )
        .join(Camera, Camera.id == CameraChange.camera_id)
        .where(place.condition, Camera.status.in_((CameraStatus.VERIFIED, CameraStatus.REMOVED)))
        .order_by(CameraChange.id.desc())
        .limit(FEED_ENTRIES)
    )
    return [Change(**row) for row in db.session.execute(query).mappings()]


def fingerprint(place: Place, changes: list[Change]) -> str:
    """The feed's ETag: it changes exactly when the entries do."""
    listed = [(place.kind, place.key, place.title)] + [(c.id, c.kind, c.day.isoformat()) for c in changes]
    return hashlib.sha256(json.dumps(listed).encode()).hexdigest()[:32]


def area_place(kind: str, geoid: str) -> Place:
    name = db.session.scalar(select(Area.name).where(Area.geoid == geoid, Area.kind == kind))
    if name is None:
        if kind == "state":
            raise NotFound(_("No state has the GEOID %(geoid)s.", geoid=geoid))
        raise NotFound(_("No county has the GEOID %(geoid)s.", geoid=geoid))
    column = Camera.state_geoid if kind == "state" else Camera.county_geoid
    return Place(kind, geoid, name, column == geoid)


def agency_place(agency_id: int) -> Place:
    name = db.session.scalar(select(Agency.name).where(Agency.id == agency_id))
    if name is None:
        raise NotFound(_("There is no agency %(id)s.", id=agency_id))
    return Place("agency", str(agency_id), name, Camera.agency_id == agency_id)


def drawn_place(area_hash: str) -> Place:
    if not db.session.scalar(select(select(FeedArea.hash).where(FeedArea.hash == area_hash).exists())):
        raise NotFound(_("No drawn area has this address: draw it again on the coverage page."))
    # The changes where they happened (a camera moved out of the area keeps its entry there).
    area = select(FeedArea.geom).where(FeedArea.hash == area_hash).scalar_subquery()
    return Place("area", area_hash, _("a drawn area"), func.ST_Intersects(CameraChange.geom, area))


def keep_drawn_area(polygons: list[Polygon]) -> str:
    """Keep a drawn polygon (checked as the coverage answer checks it: valid, bounded) under the hash of its
    normalised geometry, so the same polygon always gets the same feed; the hash."""
    shape, _km2 = checked_shape(polygons)
    return keep_area(shape)
