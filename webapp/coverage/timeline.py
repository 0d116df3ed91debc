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
from sqlalchemy import text

from webapp.kernel.errors import InvalidField, NotFound
from webapp.kernel.extensions import db

NATIONAL = "us"

TIMELINE_SQL = """
    WITH area_cameras AS (
        SELECT id, source, status, first_reported_month, started_month
        FROM cameras WHERE NOT demo AND {area}
    ), dated AS (
        SELECT * FROM area_cameras WHERE source = 'report' OR started_month IS NOT NULL
    ), changes AS (
        SELECT e.target_id AS id, date_trunc('month', e.created_at AT TIME ZONE 'UTC')::date AS month,
               (e.to_status = 'verified')::int AS verified, (e.from_status = 'verified')::int AS removed
        FROM moderation_events AS e JOIN dated AS d ON e.target_type = 'camera' AND e.target_id = d.id
        WHERE e.from_status IS DISTINCT FROM e.to_status
          AND (e.to_status = 'verified' OR e.from_status = 'verified')
    ), entries AS (
        SELECT first_reported_month AS month, 1 AS reported, 0 AS osm_started, 0 AS verified, 0 AS removed
        FROM dated WHERE source = 'report' AND first_reported_month IS NOT NULL
        UNION ALL
        SELECT started_month, 0, 1, 0, 0 FROM dated WHERE source = 'osm'
        UNION ALL
        SELECT month, 0, 0, verified, removed FROM changes
        UNION ALL
        SELECT d.first_reported_month, 0, 0, 1, 0
        FROM dated AS d LEFT JOIN (SELECT DISTINCT id FROM changes WHERE verified = 1) AS v USING (id)
        WHERE d.source = 'report' AND v.id IS NULL AND d.first_reported_month IS NOT NULL
    )
    SELECT month, sum(reported) AS reported, sum(osm_started) AS osm_started, sum(verified) AS verified,
           sum(removed) AS removed
    FROM entries GROUP BY month ORDER BY month
"""

UNKNOWN_SQL = """
    SELECT count(*) FILTER (WHERE source = 'osm' AND started_month IS NULL) AS date_unknown,
           count(*) AS on_map
    FROM cameras WHERE camera_citable(status, demo) AND {area}
"""


def _area_condition(area: str) -> tuple[str, dict]:
    if area == NATIONAL:
        return "state_geoid IS NOT NULL", {}
    if area.isascii() and area.isdigit() and len(area) == 2:
        return "state_geoid = :area", {"area": area}
    if area.isascii() and area.isdigit() and len(area) == 5:
        return "county_geoid = :area", {"area": area}
    raise InvalidField(
        "area", _("area must be us, a state's two-digit GEOID or a county's five-digit GEOID.")
    )


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def area_timeline(area: str | None) -> dict:
    area = (area or NATIONAL).strip().lower()
    condition, params = _area_condition(area)
    name = "United States"
    if area != NATIONAL:
        name = db.session.scalar(text("SELECT name FROM areas WHERE geoid = :area"), params)
        if name is None:
            raise NotFound(_("No area has the GEOID %(geoid)s.", geoid=area))
    rows = db.session.execute(text(TIMELINE_SQL.format(area=condition)), params).all()
    totals = db.session.execute(text(UNKNOWN_SQL.format(area=condition)), params).one()
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
