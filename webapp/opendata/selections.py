"""The citable cameras of one answer, to download in every format: a state, a county, an agency's cameras, the
cameras that feed a receiver, a map view (bbox) or a drawn area kept by its hash (webapp.feeds). At most
MAX_SELECTION cameras: a larger selection is refused with a pointer to the full exports and the releases, so a
request's cost is bounded."""

from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, not_, or_, select

from webapp.geo.bbox import BoundingBox
from webapp.geo.public_cameras import EXPORT_BATCH_ROWS, PUBLIC_COLUMNS, cameras, citable, in_box
from webapp.kernel.data.models.agency import Agency, AgencySharing
from webapp.kernel.data.models.release import FeedArea
from webapp.kernel.errors import DomainError
from webapp.kernel.extensions import db

MAX_SELECTION = 100_000


class SelectionTooLarge(DomainError):
    status = 413
    code = "selection_too_large"


@dataclass(frozen=True)
class Selection:
    """Which cameras: `name` goes into the file name, `condition` is a condition on `cameras`."""

    name: str
    condition: ColumnElement[bool]


def state_selection(geoid: str) -> Selection:
    return Selection(f"state-{geoid}", cameras.c.state_geoid == geoid)


def county_selection(geoid: str) -> Selection:
    return Selection(f"county-{geoid}", cameras.c.county_geoid == geoid)


def agency_selection(agency_id: int) -> Selection:
    return Selection(f"agency-{agency_id}", cameras.c.agency_id == agency_id)


def receiver_selection(receiver_id: int) -> Selection:
    """The cameras that feed a receiver, as its page counts them (webapp.agencies.public.questions'
    feeding_sources): the cameras of every agency (test accounts left out) with a current relation sharing
    with it; a relation read from a vendor's portal shares that vendor's cameras only."""
    sharing, agencies = AgencySharing.__table__, Agency.__table__
    shares = (
        select(sharing.c.id)
        .join(agencies, agencies.c.id == sharing.c.from_agency_id)
        .where(
            sharing.c.to_agency_id == receiver_id,
            sharing.c.retired_on.is_(None),
            not_(agencies.c.test_account),
            sharing.c.from_agency_id == cameras.c.agency_id,
            or_(sharing.c.vendor.is_(None), sharing.c.vendor == cameras.c.vendor),
        )
    )
    return Selection(f"receiver-{receiver_id}", shares.exists())


def view_selection(bbox: BoundingBox) -> Selection:
    return Selection("view", in_box(bbox))


def drawn_area_selection(area_hash: str) -> Selection:
    feed_areas = FeedArea.__table__
    area = select(feed_areas.c.geom).where(feed_areas.c.hash == area_hash).scalar_subquery()
    return Selection(f"area-{area_hash[:12]}", func.ST_Intersects(cameras.c.geom, area))


def count_selected(selection: Selection) -> int:
    """How many citable cameras the selection holds; SelectionTooLarge past MAX_SELECTION."""
    selected = select(cameras.c.id).where(citable(), selection.condition).limit(MAX_SELECTION + 1)
    count = db.session.scalar(select(func.count()).select_from(selected.subquery("selected")))
    if count > MAX_SELECTION:
        raise SelectionTooLarge(
            _(
                "More than %(limit)s cameras: download the full export (/api/v1/cameras.csv) or a release "
                "(/data) instead.",
                limit=f"{MAX_SELECTION:,}",
            )
        )
    return count


def selected_cameras(selection: Selection) -> Iterator[list[dict]]:
    """The selection's citable cameras in id order, in batches (count_selected first: it bounds them)."""
    query = select(*PUBLIC_COLUMNS).where(citable(), selection.condition).order_by(cameras.c.id)
    result = db.session.execute(query, execution_options={"stream_results": True}).mappings()
    for batch in result.partitions(EXPORT_BATCH_ROWS):
        yield [dict(row) for row in batch]
