"""The verified cameras of a set of agencies (one agency's own, or every agency that shares with a
receiver): counts by agency and vendor, pages of their public fields in id order, and what a map draws.
Each agency of a set may come with a vendor: a relation read from a vendor's portal shares what that
vendor's cameras read (migration 0015), so only those count; None counts every camera of the agency.

Every read goes through `cameras.agency_id` and its (agency_id, status) index, never a scan of all cameras;
every answer is bounded: pages of CAMERA_PAGE_ROWS, and a map of at most MAP_MAX_POINTS points, past which
it draws counts per grid cell instead."""

from sqlalchemy import BigInteger, Select, Text, and_, cast, func, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY

from webapp.geo.public_cameras import PUBLIC_COLUMNS, cameras, citable
from webapp.kernel.extensions import db

CAMERA_PAGE_ROWS = 5000
MAP_MAX_POINTS = 3000
# The grid of a map drawn from counts: cells of this many degrees (about 11 km). Migration 0011's triggers
# count each agency's cameras per cell of this size (written there as 0.1).
MAP_CELL_DEGREES = 0.1
# A map drawn from counts holds about this many cells at most (larger cells where the cameras spread wide;
# the merge factor comes from the cells' extent, so a long thin extent can give a few more).
MAP_MAX_CELLS = 4000


def _in_set(query: Select, agency_ids: list[int], vendors: list[str | None] | None) -> Select:
    """The query over the set's (agency, vendor) pairs joined to the cameras; the WHERE matches the partial
    index of migrations 0010 and 0019 (citable cameras by agency, with the vendor and the point included:
    index-only scans)."""
    wanted = (
        func.unnest(
            cast(list(agency_ids), ARRAY(BigInteger)),
            cast(list(vendors or [None] * len(agency_ids)), ARRAY(Text)),
        )
        .table_valued("agency", "vendor")
        .render_derived(name="wanted")
    )
    joined = cameras.join(
        wanted,
        and_(
            cameras.c.agency_id == wanted.c.agency,
            or_(wanted.c.vendor.is_(None), cameras.c.vendor == wanted.c.vendor),
        ),
    )
    return query.select_from(joined).where(cameras.c.agency_id.is_not(None), citable())


def _set_params(agency_ids: list[int], vendors: list[str | None] | None) -> dict:
    return {"agencies": list(agency_ids), "vendors": list(vendors or [None] * len(agency_ids))}


def camera_counts_by_agency(agency_ids: list[int], vendors: list[str | None] | None = None) -> dict[int, int]:
    if not agency_ids:
        return {}
    query = select(cameras.c.agency_id, func.count().label("cameras")).group_by(cameras.c.agency_id)
    rows = db.session.execute(_in_set(query, agency_ids, vendors))
    return {row.agency_id: row.cameras for row in rows}


def vendor_counts(agency_ids: list[int]) -> list[dict]:
    if not agency_ids:
        return []
    count = func.count().label("cameras")
    query = select(cameras.c.vendor, count).group_by(cameras.c.vendor)
    query = query.order_by(count.desc(), cameras.c.vendor)
    rows = db.session.execute(_in_set(query, agency_ids, None))
    return [{"vendor": row.vendor, "cameras": row.cameras} for row in rows]


def camera_page(
    agency_ids: list[int], after: int, rows: int | None = None, vendors: list[str | None] | None = None
) -> list[dict]:
    """Up to `rows` (CAMERA_PAGE_ROWS) cameras with an id above `after`, in id order (the next page starts
    after the last)."""
    rows = rows or CAMERA_PAGE_ROWS
    if not agency_ids:
        return []
    query = select(*PUBLIC_COLUMNS, cameras.c.agency_id).where(cameras.c.id > after)
    result = db.session.execute(_in_set(query, agency_ids, vendors).order_by(cameras.c.id).limit(rows))
    return [dict(row) for row in result.mappings()]


def camera_map(agency_ids: list[int], total: int, vendors: list[str | None] | None = None) -> dict:
    """What a map of these cameras draws: every point while there are at most MAP_MAX_POINTS, else the
    count per grid cell (at the cell's mean position), so the answer stays small however many there are."""
    if total <= MAP_MAX_POINTS:
        points = camera_page(agency_ids, 0, MAP_MAX_POINTS, vendors)
        return {
            "kind": "points",
            "cameras": total,
            "points": [
                [round(row["lon"], 6), round(row["lat"], 6), row["id"], row["vendor"]] for row in points
            ],
        }
    # From the per-agency cell counts the triggers of migration 0011 keep: a few rows per agency, not a read
    # of every camera. Cameras spread over a whole country would make tens of thousands of 0.1-degree cells:
    # the cells are merged k by k (k from the extent) so that the answer holds about MAP_MAX_CELLS at most.
    rows = db.session.execute(
        text(
            """
            WITH kept AS (
                SELECT cell_x, cell_y, cameras, lon_sum, lat_sum FROM agency_camera_cells AS cell
                JOIN unnest(CAST(:agencies AS bigint[]), CAST(:vendors AS text[])) AS wanted(agency, vendor)
                    ON cell.agency_id = wanted.agency
                   AND (wanted.vendor IS NULL OR cell.vendor = wanted.vendor)
                WHERE cameras > 0
            ), merge AS (
                SELECT greatest(1, ceil(sqrt(
                    (max(cell_x) - min(cell_x) + 1)::float8 * (max(cell_y) - min(cell_y) + 1) / :max_cells
                )))::integer AS k
                FROM kept
            )
            SELECT round((sum(lon_sum) / sum(cameras))::numeric, 4) AS lon,
                   round((sum(lat_sum) / sum(cameras))::numeric, 4) AS lat, sum(cameras) AS cameras,
                   min(merge.k) AS k
            FROM kept CROSS JOIN merge
            GROUP BY floor(cell_x::float8 / merge.k), floor(cell_y::float8 / merge.k)
            HAVING sum(cameras) > 0
            """
        ),
        {**_set_params(agency_ids, vendors), "max_cells": MAP_MAX_CELLS},
    ).all()
    merged = rows[0].k if rows else 1
    return {
        "kind": "cells",
        "cameras": total,
        "cell_degrees": round(MAP_CELL_DEGREES * merged, 6),
        "cells": [[float(row.lon), float(row.lat), row.cameras] for row in rows],
    }


# The kept cells (migrations/sql/agency_cells), positions to 6 decimals: an incremental sum and a fresh one
# differ in the last bits of a float.
KEPT_CELLS = """
    SELECT agency_id, vendor, cell_x, cell_y, cameras, round(lon_sum::numeric, 6) AS lon_sum,
           round(lat_sum::numeric, 6) AS lat_sum
    FROM agency_camera_cells WHERE cameras <> 0 ORDER BY 1, 2, 3, 4
"""


def rebuild_cells() -> int:
    """Recompute every agency map cell from the cameras (agency_cells_rebuild(); camera writes wait
    meanwhile); the number of cells written. The caller commits."""
    return int(db.session.scalar(text("SELECT agency_cells_rebuild()")))


def cell_discrepancies(limit: int = 20) -> list[tuple]:
    """(agency_id, vendor, cell_x, cell_y, kept, rebuilt) wherever the cells the triggers keep differ from
    what agency_cells_rebuild() computes, that rebuild run in a savepoint and rolled back (so the counting is
    written once, in the rebuild; camera writes and cell reads wait meanwhile). Empty when they agree."""
    kept = {tuple(row[:4]): tuple(row[4:]) for row in db.session.execute(text(KEPT_CELLS))}
    savepoint = db.session.begin_nested()
    try:
        rebuild_cells()
        rebuilt = {tuple(row[:4]): tuple(row[4:]) for row in db.session.execute(text(KEPT_CELLS))}
    finally:
        savepoint.rollback()
    differing = sorted(key for key in kept.keys() | rebuilt.keys() if kept.get(key) != rebuilt.get(key))
    return [(*key, kept.get(key), rebuilt.get(key)) for key in differing[:limit]]
