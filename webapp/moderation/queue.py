"""The review queue: pending sightings oldest first, filtered by area (a state or county chosen by name, or a
box), vendor and photos, each with its
duplicate candidates (verified cameras within 100 m, ranked by distance and by difference in direction).

A report keeps the day it arrived and no time: the queue's order is (day, id) and its age is in days."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from geoalchemy2.shape import to_shape
from sqlalchemy import exists, func, select

from webapp.camera_fields.directions import COMPATIBLE_DIRECTION_DEGREES, direction_difference
from webapp.camera_fields.vendors import normalise_vendor
from webapp.geo.bbox import BoundingBox, parse_bbox
from webapp.geo.nearby import NearbyCamera, cameras_near
from webapp.kernel.data.models import Area, AreaPart, Photo, Sighting
from webapp.kernel.errors import InvalidField
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AreaKind, Limits, SightingStatus

PAGE_SIZE = 20
PHOTO_FILTERS = ("any", "with", "without")
# A candidate facing the other way is as unlikely a duplicate as one this far away.
METRES_PER_DEGREE_OF_DIRECTION = 0.5


@dataclass(frozen=True)
class QueueFilters:
    bbox: BoundingBox | None = None
    area: str | None = None  # a state's or county's GEOID, chosen by name
    vendor: str | None = None
    photos: str = "any"
    page: int = 1

    def as_args(self, **changes) -> dict:
        """Query-string arguments that reproduce these filters (for links to other pages)."""
        values = {
            "bbox": self.bbox.as_param() if self.bbox else None,
            "state": self.area[:2] if self.area else None,
            "county": self.area if self.area and len(self.area) == 5 else None,
            "vendor": self.vendor,
            "photos": None if self.photos == "any" else self.photos,
            "page": None if self.page == 1 else self.page,
        }
        values.update(changes)
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class Candidate:
    camera: NearbyCamera
    direction_difference: int | None

    @property
    def proposed_link(self) -> bool:
        """An OpenStreetMap camera a few metres away facing a compatible way: most likely this camera."""
        return (
            self.camera.osm_type is not None
            and self.camera.distance_m <= Limits.OSM_LINK_RADIUS_M
            and (
                self.direction_difference is None or self.direction_difference <= COMPATIBLE_DIRECTION_DEGREES
            )
        )

    @property
    def score(self) -> float:
        # Unknown directions count as a right angle: neither a match nor a contradiction.
        difference = 90 if self.direction_difference is None else self.direction_difference
        return self.camera.distance_m + difference * METRES_PER_DEGREE_OF_DIRECTION


@dataclass
class QueueItem:
    sighting: Sighting
    lon: float
    lat: float
    month: date
    waiting_days: int
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def photos(self) -> list[Photo]:
        return list(self.sighting.photos)

    @property
    def proposed_link(self) -> Candidate | None:
        return next((candidate for candidate in self.candidates if candidate.proposed_link), None)

    @property
    def candidate_points(self) -> list[dict]:
        """The candidates as the small map draws them."""
        return [candidate.camera.as_json() for candidate in self.candidates]


def parse_filters(args) -> QueueFilters:
    """Filters from the query string; InvalidField (a 400) for values that make no sense."""
    raw_bbox = (args.get("bbox") or "").strip()
    bbox = parse_bbox(raw_bbox) if raw_bbox else None
    vendor = normalise_vendor(args.get("vendor")) if (args.get("vendor") or "").strip() else None
    photos = args.get("photos") or "any"
    if photos not in PHOTO_FILTERS:
        raise InvalidField("photos", _("The photo filter is one of: any, with, without."))
    try:
        page = int(args.get("page") or 1)
    except ValueError as error:
        raise InvalidField("page", _("The page is a whole number.")) from error
    if not 1 <= page <= 10_000:
        raise InvalidField("page", _("The page is a whole number from 1."))
    state = (args.get("state") or "").strip() or None
    county = (args.get("county") or "").strip() or None
    # A county of another state than the one chosen is left over from the state chosen before.
    area = county if county and (state is None or county.startswith(state)) else state
    if area is not None and db.session.get(Area, area) is None:
        raise InvalidField("state", _("Choose a state or county from the list."))
    return QueueFilters(bbox=bbox, area=area, vendor=vendor, photos=photos, page=page)


def area_choices(filters: QueueFilters) -> tuple[list[Area], list[Area]]:
    """The states, and the counties of the state the filter names (a county is chosen once its state is)."""
    states = db.session.scalars(select(Area).where(Area.kind == AreaKind.STATE).order_by(Area.name)).all()
    chosen_state = filters.area[:2] if filters.area else None
    counties = (
        db.session.scalars(
            select(Area)
            .where(Area.kind == AreaKind.COUNTY, Area.state_geoid == chosen_state)
            .order_by(Area.name)
        ).all()
        if chosen_state
        else []
    )
    return list(states), list(counties)


def filtered(query, filters: QueueFilters, sighting=Sighting):
    """`query` narrowed to the pending sightings the filters keep (`sighting`: the entity or an alias)."""
    query = query.where(sighting.status == SightingStatus.PENDING)
    if box := filters.bbox:
        query = query.where(
            sighting.geom.op("&&")(func.ST_MakeEnvelope(box.west, box.south, box.east, box.north, 4326))
        )
    if filters.area:
        # The boundaries cut into small pieces (area_parts): the spatial index answers, not a whole state.
        query = query.where(
            exists().where(AreaPart.geoid == filters.area, func.ST_Intersects(AreaPart.geom, sighting.geom))
        )
    if filters.vendor:
        query = query.where(sighting.vendor == filters.vendor)
    has_photo = exists().where(Photo.sighting_id == sighting.id)
    if filters.photos == "with":
        query = query.where(has_photo)
    elif filters.photos == "without":
        query = query.where(~has_photo)
    return query


def count_pending(filters: QueueFilters) -> int:
    return db.session.scalar(filtered(select(func.count(Sighting.id)), filters))


def queue_item(sighting: Sighting, with_candidates: bool = True) -> QueueItem:
    position = to_shape(sighting.geom)
    return QueueItem(
        sighting=sighting,
        lon=position.x,
        lat=position.y,
        month=sighting.month,
        waiting_days=(datetime.now(UTC).date() - sighting.reported_on).days,
        candidates=(
            duplicate_candidates(position.x, position.y, list(sighting.directions or []))
            if with_candidates
            else []
        ),
    )


def rank_candidates(nearby: list[NearbyCamera], directions: list[int]) -> list[Candidate]:
    candidates = [Candidate(camera, direction_difference(directions, camera.directions)) for camera in nearby]
    return sorted(candidates, key=lambda candidate: (candidate.score, candidate.camera.id))


def duplicate_candidates(lon: float, lat: float, directions: list[int]) -> list[Candidate]:
    return rank_candidates(cameras_near(lon, lat, Limits.CANDIDATE_RADIUS_M), directions)
