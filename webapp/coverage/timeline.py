"""Growth over time, per month: cameras first reported, OpenStreetMap cameras that started (their
`start_date`), verifications and removals from the moderation history, and the cumulative count on the map.

What each column means (docs/coverage.md has the formulas):
- reported: community-reported cameras whose first report is in the month (the month the submitter gave);
- osm_started: imported cameras whose OpenStreetMap start_date names the month;
- verified: cameras that became public in the month (a moderator verified or restored them; a reported
  camera with no such event, verified before the audit log existed, counts in its first-reported month);
- removed: cameras a moderator hid or marked removed in the month;
- cumulative: osm_started + verified - removed, summed up to the month: the cameras on the map at its end.
Imported cameras without a start_date to the month are never placed in a month: they are counted apart as
`date_unknown`, and `cumulative` of the last month + `date_unknown` = the cameras on the map now. A camera
counts in the area it stands in now. Demo cameras never count.
"""

from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Date, Integer, and_, cast, func, literal_column, or_, select, union_all

from webapp.geo.public_cameras import citable
from webapp.kernel.data.models import Area, Camera, ModerationEvent
from webapp.kernel.errors import InvalidField, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraSource, CameraStatus

NATIONAL = "us"
# Written into the SQL as they are (a bound number in a UNION would leave its type to guess).
ONE, ZERO = literal_column("1"), literal_column("0")


def _monthly_entries(area: ColumnElement[bool]):
    """The month of each event that moves a count (reported, osm_started, verified, removed), one row each,
    for the cameras of `area`; summed by month by the caller."""
    area_cameras = (
        select(Camera.id, Camera.source, Camera.first_reported_month, Camera.started_month)
        .where(~Camera.demo, area)
        .cte("area_cameras")
    )
    dated = (
        select(area_cameras)
        .where(or_(area_cameras.c.source == CameraSource.REPORT, area_cameras.c.started_month.is_not(None)))
        .cte("dated")
    )
    event = ModerationEvent
    changes = (
        select(
            event.target_id.label("id"),
            cast(func.date_trunc("month", func.timezone("UTC", event.created_at)), Date).label("month"),
            cast(event.to_status == CameraStatus.VERIFIED, Integer).label("verified"),
            cast(event.from_status == CameraStatus.VERIFIED, Integer).label("removed"),
        )
        .join(dated, and_(event.target_type == "camera", event.target_id == dated.c.id))
        .where(
            event.from_status.is_distinct_from(event.to_status),
            or_(event.to_status == CameraStatus.VERIFIED, event.from_status == CameraStatus.VERIFIED),
        )
        .cte("changes")
    )
    ever_verified = select(changes.c.id).where(changes.c.verified == 1).distinct().subquery("ever_verified")
    reported = dated.c.source == CameraSource.REPORT
    return union_all(
        select(
            dated.c.first_reported_month.label("month"),
            ONE.label("reported"),
            ZERO.label("osm_started"),
            ZERO.label("verified"),
            ZERO.label("removed"),
        ).where(reported, dated.c.first_reported_month.is_not(None)),
        select(dated.c.started_month, ZERO, ONE, ZERO, ZERO).where(dated.c.source == CameraSource.OSM),
        select(changes.c.month, ZERO, ZERO, changes.c.verified, changes.c.removed),
        # A reported camera verified before the audit log existed counts in its first-reported month.
        select(dated.c.first_reported_month, ZERO, ZERO, ONE, ZERO)
        .outerjoin(ever_verified, ever_verified.c.id == dated.c.id)
        .where(reported, ever_verified.c.id.is_(None), dated.c.first_reported_month.is_not(None)),
    ).subquery("entries")


def _timeline_rows(area: ColumnElement[bool]) -> list:
    entries = _monthly_entries(area)
    month = entries.c.month
    sums = (
        func.sum(entries.c[name]).label(name) for name in ("reported", "osm_started", "verified", "removed")
    )
    return db.session.execute(select(month, *sums).group_by(month).order_by(month)).all()


def _totals(area: ColumnElement[bool]):
    undated = and_(Camera.source == CameraSource.OSM, Camera.started_month.is_(None))
    return db.session.execute(
        select(
            func.count().filter(undated).label("date_unknown"),
            func.count().label("on_map"),
        ).where(citable(Camera.__table__.c), area)
    ).one()


def _area_condition(area: str) -> ColumnElement[bool]:
    if area == NATIONAL:
        return Camera.state_geoid.is_not(None)
    if area.isascii() and area.isdigit() and len(area) == 2:
        return Camera.state_geoid == area
    if area.isascii() and area.isdigit() and len(area) == 5:
        return Camera.county_geoid == area
    raise InvalidField(
        "area", _("area must be us, a state's two-digit GEOID or a county's five-digit GEOID.")
    )


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def area_timeline(area: str | None) -> dict:
    area = (area or NATIONAL).strip().lower()
    condition = _area_condition(area)
    name = "United States"
    if area != NATIONAL:
        name = db.session.scalar(select(Area.name).where(Area.geoid == area))
        if name is None:
            raise NotFound(_("No area has the GEOID %(geoid)s.", geoid=area))
    rows = _timeline_rows(condition)
    totals = _totals(condition)
    by_month = {row.month: row for row in rows}
    months = []
    if rows:
        month, last = rows[0].month, max(rows[-1].month, datetime.now(UTC).date().replace(day=1))
        cumulative = 0
        # Every month from the first to now, so a chart shows the quiet months too.
        while month <= last:
            row = by_month.get(month)
            reported, started, verified, removed = (
                (int(row.reported), int(row.osm_started), int(row.verified), int(row.removed))
                if row
                else (0,) * 4
            )
            cumulative += started + verified - removed
            months.append(
                {
                    "month": month.strftime("%Y-%m"),
                    "reported": reported,
                    "osm_started": started,
                    "verified": verified,
                    "removed": removed,
                    "cumulative": cumulative,
                }
            )
            month = _next_month(month)
    return {
        "area": area,
        "name": name,
        "months": months,
        "date_unknown": int(totals.date_unknown),
        "on_map_now": int(totals.on_map),
    }
