"""Reports grouped by camera in the review queue: pending sightings within GROUP_RADIUS_M (50 m) of a group's
oldest report, facing compatible ways, are one queue item ("3 reports").

The grouping is greedy in queue order (day, id): the oldest report not yet in a group starts one and gathers
the younger pending reports near it, up to GROUP_MAX_REPORTS (more make another item). It reads the queue in
chunks, with each chunk's neighbours in one indexed query bounded per report, until the page is full: the
page holds PAGE_SIZE groups of at most GROUP_MAX_REPORTS reports, whatever the queue's size.

Deciding a group (verify as one new camera, merge into a camera, reject) acts on each report in one
transaction: every report is locked in id order and must still be pending, or nothing is done (409).
"""

from collections import Counter
from dataclasses import dataclass
from statistics import fmean

from flask_babel import gettext as _
from geoalchemy2 import Geography
from sqlalchemy import cast, func, select, true, tuple_
from sqlalchemy.orm import aliased, selectinload

from webapp.camera_fields.directions import directions_compatible, new_directions
from webapp.camera_fields.rules import CameraFields
from webapp.kernel.data.models import Camera, Photo, Sighting, User
from webapp.kernel.errors import AlreadyHandled, InvalidField, InvalidInput, NotAllowed, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import Limits, SightingStatus
from webapp.moderation.locks import lock_camera
from webapp.moderation.photo_release import PhotoDecision
from webapp.moderation.queue import PAGE_SIZE, QueueFilters, QueueItem, filtered, queue_item
from webapp.moderation.reasons import reject_reason_text
from webapp.moderation.sightings import fields_of, merge_locked, reject_locked, verify_locked

# Queue rows read per round while forming groups.
CHUNK_ROWS = 200
# A degree of latitude or longitude (up to about 78 degrees north or south) holds at least this many metres:
# the index's box test before the exact distance.
METRES_PER_DEGREE_FLOOR = 20_000


@dataclass
class ReportGroup:
    """One queue item: its reports, oldest first; the first one's candidates stand for the group."""

    items: list[QueueItem]

    @property
    def first(self) -> QueueItem:
        return self.items[0]

    @property
    def ids(self) -> list[int]:
        return [item.sighting.id for item in self.items]

    @property
    def size(self) -> int:
        return len(self.items)

    @property
    def photos(self) -> list[Photo]:
        return [photo for item in self.items for photo in item.photos]

    @property
    def ids_param(self) -> str:
        return ",".join(map(str, self.ids))


def _ordered_chunk(filters: QueueFilters, after: tuple | None) -> list:
    query = filtered(select(Sighting.id, Sighting.reported_on, Sighting.directions), filters)
    if after is not None:
        query = query.where(tuple_(Sighting.reported_on, Sighting.id) > after)
    return db.session.execute(query.order_by(Sighting.reported_on, Sighting.id).limit(CHUNK_ROWS)).all()


def _younger_neighbours(ids: list[int], filters: QueueFilters) -> dict[int, list]:
    """For each report of `ids`: the younger pending reports (the filters applied) within GROUP_RADIUS_M,
    oldest first, at most GROUP_MAX_REPORTS of them."""
    if not ids:
        return {}
    here, near = aliased(Sighting), aliased(Sighting)
    neighbours = (
        filtered(select(near.id, near.directions), filters, near)
        .where(
            near.id != here.id,
            tuple_(near.reported_on, near.id) > tuple_(here.reported_on, here.id),
            near.geom.op("&&")(func.ST_Expand(here.geom, Limits.GROUP_RADIUS_M / METRES_PER_DEGREE_FLOOR)),
            func.ST_DWithin(cast(near.geom, Geography), cast(here.geom, Geography), Limits.GROUP_RADIUS_M),
        )
        .order_by(near.reported_on, near.id)
        .limit(Limits.GROUP_MAX_REPORTS)
        .lateral()
    )
    rows = db.session.execute(
        select(here.id, neighbours.c.id, neighbours.c.directions)
        .select_from(here)
        .join(neighbours, true())
        .where(here.id.in_(ids))
    ).all()
    found: dict[int, list] = {}
    for here_id, near_id, directions in rows:
        found.setdefault(here_id, []).append((near_id, list(directions or [])))
    return found


def group_ids(filters: QueueFilters, groups_wanted: int) -> list[list[int]]:
    """The first `groups_wanted` groups of the queue, as lists of sighting ids (oldest first)."""
    groups: list[list[int]] = []
    grouped: set[int] = set()
    after = None
    while len(groups) < groups_wanted:
        chunk = _ordered_chunk(filters, after)
        if not chunk:
            break
        after = (chunk[-1].reported_on, chunk[-1].id)
        neighbours = _younger_neighbours([row.id for row in chunk if row.id not in grouped], filters)
        for row in chunk:
            if row.id in grouped:
                continue
            members = [row.id]
            for near_id, directions in neighbours.get(row.id, []):
                if len(members) == Limits.GROUP_MAX_REPORTS:
                    break
                if near_id not in grouped and directions_compatible(list(row.directions or []), directions):
                    members.append(near_id)
            grouped.update(members)
            groups.append(members)
            if len(groups) == groups_wanted:
                break
    return groups


def pending_groups(filters: QueueFilters) -> tuple[list[ReportGroup], bool]:
    """One page of the queue as groups, and whether more come after it."""
    ids = group_ids(filters, filters.page * PAGE_SIZE + 1)
    page = ids[(filters.page - 1) * PAGE_SIZE : filters.page * PAGE_SIZE]
    return [load_group(members) for members in page], len(ids) > filters.page * PAGE_SIZE


def load_group(ids: list[int]) -> ReportGroup:
    """The reports of a group with their photos, in the order given; NotFound for an unknown id."""
    rows = {
        sighting.id: sighting
        for sighting in db.session.scalars(
            select(Sighting).where(Sighting.id.in_(ids)).options(selectinload(Sighting.photos))
        )
    }
    if set(rows) != set(ids):
        raise NotFound(_("No such sighting."))
    first = queue_item(rows[ids[0]])
    others = [queue_item(rows[sighting_id], with_candidates=False) for sighting_id in ids[1:]]
    return ReportGroup([first, *others])


def parse_group_ids(raw) -> list[int]:
    """Sighting ids of a group decision: a list (JSON) or "1,2,3"/repeated fields (forms); each once, at
    most GROUP_MAX_REPORTS, in the order given."""
    items = raw if isinstance(raw, list) else []
    values = [part for item in items for part in (item.split(",") if isinstance(item, str) else [item])]
    try:
        ids = [_whole_number(value) for value in values if str(value).strip()]
    except (TypeError, ValueError) as error:
        raise InvalidField("sightings", _("The reports of a group are given by their ids.")) from error
    if not ids or len(set(ids)) != len(ids) or len(ids) > Limits.GROUP_MAX_REPORTS:
        raise InvalidField(
            "sightings",
            _("A group is 1 to %(count)d different reports.", count=Limits.GROUP_MAX_REPORTS),
        )
    return ids


def _whole_number(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(value)
    return int(value)


def suggested_fields(group: ReportGroup) -> CameraFields:
    """What the reports say together: the mean of their pins, their directions (each one once, within
    20 degrees), and the vendor, mount and operator most of them give."""
    fields = [fields_of(item.sighting) for item in group.items]
    directions: list[int] = []
    for item in fields:
        directions += new_directions(directions, list(item.directions))

    def most_common(values, unknown=None):
        known = [value for value in values if value not in (None, unknown)]
        return Counter(known).most_common(1)[0][0] if known else unknown

    return CameraFields(
        lon=fmean(item.lon for item in fields),
        lat=fmean(item.lat for item in fields),
        directions=sorted(directions),
        vendor=most_common([item.vendor for item in fields], "unknown"),
        mount=most_common([item.mount for item in fields]),
        operator=most_common([item.operator for item in fields]),
    )


def lock_pending_group(ids: list[int], moderator: User) -> list[Sighting]:
    """Every report of the group, locked in id order (as any two transactions lock them, so they cannot
    deadlock), each still pending and not the moderator's own; in the order given."""
    rows = db.session.scalars(
        select(Sighting)
        .where(Sighting.id.in_(ids))
        .order_by(Sighting.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    by_id = {sighting.id: sighting for sighting in rows}
    if set(by_id) != set(ids):
        raise NotFound(_("No such sighting."))
    for sighting in rows:
        if sighting.submitter_id is not None and sighting.submitter_id == moderator.id:
            raise NotAllowed(
                _("You reported one of these sightings yourself: another moderator has to review it.")
            )
        if sighting.status != SightingStatus.PENDING:
            raise AlreadyHandled(
                _(
                    "Sighting %(id)s of this group was already handled (it is %(status)s): nothing was done.",
                    id=sighting.id,
                    status=sighting.status,
                )
            )
    return [by_id[sighting_id] for sighting_id in ids]


def _decisions_per_sighting(
    sightings: list[Sighting], decisions: dict[int, PhotoDecision] | None
) -> dict[int, dict[int, PhotoDecision]]:
    decisions = decisions or {}
    owner = {photo.id: sighting.id for sighting in sightings for photo in sighting.photos}
    unknown = set(decisions) - set(owner)
    if unknown:
        raise InvalidInput(_("Photo %(id)s does not belong to this group.", id=min(unknown)), field="photos")
    split: dict[int, dict[int, PhotoDecision]] = {sighting.id: {} for sighting in sightings}
    for photo_id, decision in decisions.items():
        split[owner[photo_id]][photo_id] = decision
    return split


def verify_group(
    ids: list[int],
    moderator: User,
    fields: CameraFields | None = None,
    photo_decisions: dict[int, PhotoDecision] | None = None,
) -> Camera:
    """One new camera from the group: the first report verified (with the moderator's fields), each other
    one merged into it, so every receipt tells its own outcome."""
    sightings = lock_pending_group(ids, moderator)
    decisions = _decisions_per_sighting(sightings, photo_decisions)
    first, *others = sightings
    camera = verify_locked(first, moderator, fields, decisions[first.id])
    for sighting in others:
        merge_locked(sighting, camera, moderator, decisions[sighting.id])
    return camera


def merge_group(
    ids: list[int], camera_id: int, moderator: User, photo_decisions: dict[int, PhotoDecision] | None = None
) -> Camera:
    """Every report of the group confirms a camera already on the map."""
    sightings = lock_pending_group(ids, moderator)
    camera = lock_camera(camera_id)
    decisions = _decisions_per_sighting(sightings, photo_decisions)
    for sighting in sightings:
        merge_locked(sighting, camera, moderator, decisions[sighting.id])
    return camera


def reject_group(ids: list[int], moderator: User, code: str, text: str | None = None) -> list[Sighting]:
    """Every report of the group rejected with the same reason (each receipt shows it)."""
    reason = reject_reason_text(code, text)
    return [reject_locked(sighting, moderator, reason) for sighting in lock_pending_group(ids, moderator)]
