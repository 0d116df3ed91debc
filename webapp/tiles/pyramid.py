"""The density pyramid: rebuilding it, checking it, and counting the cameras in a map view with it.

The database keeps the pyramid current by itself (triggers of migration 0002); these functions are for
operators and for the map's "cameras in view" figure.
"""

import math
import time
from dataclasses import dataclass

from sqlalchemy import text

from webapp.extensions import db
from webapp.models.density import CELL_ZOOM_OFFSET, DENSITY_MAX_ZOOM


@dataclass(frozen=True)
class RebuildResult:
    cells: int
    seconds: float


def rebuild_pyramid() -> RebuildResult:
    """Recompute every cell from the cameras table and commit."""
    started = time.perf_counter()
    cells = db.session.scalar(text("SELECT density_rebuild()"))
    db.session.commit()
    return RebuildResult(cells=int(cells), seconds=time.perf_counter() - started)


def pyramid_discrepancies(limit: int = 20) -> list[tuple[int, int, int, int, int]]:
    """Cells whose stored count differs from a fresh count: (z, x, y, stored, actual). Empty when sound."""
    rows = db.session.execute(
        text(
            """
            WITH finest AS (
                SELECT density_cell_x(ST_X(geom)) AS x, density_cell_y(ST_Y(geom)) AS y
                FROM cameras WHERE status = 'verified'
            ), actual AS (
                SELECT zoom AS z, x >> (:max_zoom - zoom) AS x, y >> (:max_zoom - zoom) AS y, count(*) AS n
                FROM finest CROSS JOIN generate_series(0, :max_zoom) AS zoom GROUP BY 1, 2, 3
            )
            SELECT coalesce(a.z, d.z), coalesce(a.x, d.x), coalesce(a.y, d.y),
                   coalesce(d.cameras, 0), coalesce(a.n, 0)
            FROM actual AS a FULL JOIN density_cells AS d USING (z, x, y)
            WHERE coalesce(d.cameras, 0) <> coalesce(a.n, 0)
            ORDER BY 1, 2, 3 LIMIT :limit
            """
        ),
        {"max_zoom": DENSITY_MAX_ZOOM, "limit": limit},
    ).all()
    return [tuple(row) for row in rows]


# Small areas are counted exactly through the spatial index; larger ones from the pyramid, at a zoom where
# the view spans about this many cells across, so the answer costs a few hundred rows whatever the area.
EXACT_COUNT_MAX_DEGREES = 1.0
VIEW_CELLS_ACROSS = 128


@dataclass(frozen=True)
class ViewCount:
    cameras: int
    exact: bool


def mercator_x(lon: float, level: int) -> int:
    return int(min(max((lon + 180.0) / 360.0 * 2**level, 0), 2**level - 1))


def mercator_y(lat: float, level: int) -> int:
    lat = min(max(lat, -85.0511287798), 85.0511287798)
    radians = math.radians(lat)
    fraction = (1.0 - math.asinh(math.tan(radians)) / math.pi) / 2.0
    return int(min(max(fraction * 2**level, 0), 2**level - 1))


def cameras_in_view(west: float, south: float, east: float, north: float) -> ViewCount:
    if east - west <= EXACT_COUNT_MAX_DEGREES and north - south <= EXACT_COUNT_MAX_DEGREES:
        count = db.session.scalar(
            text(
                "SELECT count(*) FROM cameras WHERE status = 'verified' "
                "AND geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326)"
            ),
            {"west": west, "south": south, "east": east, "north": north},
        )
        return ViewCount(cameras=int(count), exact=True)
    span = max((east - west) / 360.0, 1e-9)
    level = int(math.floor(math.log2(VIEW_CELLS_ACROSS / span)))
    zoom = min(max(level - CELL_ZOOM_OFFSET, 0), DENSITY_MAX_ZOOM)
    level = zoom + CELL_ZOOM_OFFSET
    count = db.session.scalar(
        text(
            "SELECT coalesce(sum(cameras), 0) FROM density_cells "
            "WHERE z = :z AND x BETWEEN :x0 AND :x1 AND y BETWEEN :y0 AND :y1"
        ),
        {
            "z": zoom,
            "x0": mercator_x(west, level),
            "x1": mercator_x(east, level),
            "y0": mercator_y(north, level),
            "y1": mercator_y(south, level),
        },
    )
    return ViewCount(cameras=int(count), exact=False)
