"""The verified cameras of a set of agencies (one agency's own, or every agency that shares with a
receiver): counts by agency and vendor, pages of their public fields in id order, and what a map draws.
Each agency of a set may come with a vendor: a relation read from a vendor's portal shares what that
vendor's cameras read (migration 0015), so only those count; None counts every camera of the agency.

Every read goes through `cameras.agency_id` and its (agency_id, status) index, never a scan of all cameras;
every answer is bounded: pages of CAMERA_PAGE_ROWS, and a map of at most MAP_MAX_POINTS points, past which
it draws counts per grid cell instead."""

from sqlalchemy import text

from webapp.geo.public_cameras import CITABLE, PUBLIC_COLUMNS
from webapp.kernel.extensions import db

CAMERA_PAGE_ROWS = 5000
MAP_MAX_POINTS = 3000
# The grid of a map drawn from counts: cells of this many degrees (about 11 km). Migration 0011's triggers
# count each agency's cameras per cell of this size (written there as 0.1).
MAP_CELL_DEGREES = 0.1
# A map drawn from counts holds about this many cells at most (larger cells where the cameras spread wide;
# the merge factor comes from the cells' extent, so a long thin extent can give a few more).
MAP_MAX_CELLS = 4000
# The set's (agency, vendor) pairs, joined to the cameras; the WHERE is written to match the partial index
# of migration 0010 (citable cameras by agency, with the vendor and the point included: index-only scans).
IN_SET = f"""
    cameras JOIN unnest(CAST(:agencies AS bigint[]), CAST(:vendors AS text[])) AS wanted(agency, vendor)
        ON cameras.agency_id = wanted.agency AND (wanted.vendor IS NULL OR cameras.vendor = wanted.vendor)
    WHERE agency_id IS NOT NULL AND {CITABLE}
"""


def _set_params(agency_ids: list[int], vendors: list[str | None] | None) -> dict:
    return {"agencies": list(agency_ids), "vendors": list(vendors or [None] * len(agency_ids))}


def camera_counts_by_agency(agency_ids: list[int], vendors: list[str | None] | None = None) -> dict[int, int]:
    if not agency_ids:
        return {}
    rows = db.session.execute(
        text(f"SELECT agency_id, count(*) AS cameras FROM {IN_SET} GROUP BY agency_id"),
        _set_params(agency_ids, vendors),
    )
    return {row.agency_id: row.cameras for row in rows}


def vendor_counts(agency_ids: list[int]) -> list[dict]:
    if not agency_ids:
        return []
    rows = db.session.execute(
        text(
            f"SELECT cameras.vendor, count(*) AS cameras FROM {IN_SET} "
            "GROUP BY cameras.vendor ORDER BY cameras DESC, cameras.vendor"
        ),
        _set_params(agency_ids, None),
    )
    return [{"vendor": row.vendor, "cameras": row.cameras} for row in rows]


def camera_page(
    agency_ids: list[int], after: int, rows: int | None = None, vendors: list[str | None] | None = None
) -> list[dict]:
    """Up to `rows` (CAMERA_PAGE_ROWS) cameras with an id above `after`, in id order (the next page starts
    after the last)."""
    rows = rows or CAMERA_PAGE_ROWS
    if not agency_ids:
        return []
    columns = PUBLIC_COLUMNS.replace(" vendor,", " cameras.vendor,")
    result = db.session.execute(
        text(f"SELECT {columns}, agency_id FROM {IN_SET} AND id > :after ORDER BY id LIMIT :rows"),
        {**_set_params(agency_ids, vendors), "after": after, "rows": rows},
    )
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
