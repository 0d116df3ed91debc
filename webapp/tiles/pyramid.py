"""The density pyramid: rebuilding and checking it. The database keeps the pyramid current by itself
(triggers of migration 0002); these functions are for operators. The static map image bounds its cost with
it (webapp.geo.public_cameras.drawn_count_in_view).
"""

import time
from dataclasses import dataclass

from sqlalchemy import text

from webapp.kernel.data.models.density import DENSITY_MAX_ZOOM
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraStatus


@dataclass(frozen=True)
class RebuildResult:
    cells: int
    seconds: float


def rebuild_pyramid() -> RebuildResult:
    """Recompute every cell from the cameras table (the caller commits)."""
    started = time.perf_counter()
    cells = db.session.scalar(text("SELECT density_rebuild()"))
    return RebuildResult(cells=int(cells), seconds=time.perf_counter() - started)


def pyramid_discrepancies(limit: int = 20) -> list[tuple[int, int, int, int, int]]:
    """Cells whose stored count differs from a fresh count: (z, x, y, stored, actual). Empty when sound."""
    rows = db.session.execute(
        text(
            """
            WITH finest AS (
                SELECT density_cell_x(ST_X(geom)) AS x, density_cell_y(ST_Y(geom)) AS y
                FROM cameras WHERE status = :public
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
        {"max_zoom": DENSITY_MAX_ZOOM, "limit": limit, "public": CameraStatus.VERIFIED},
    ).all()
    return [tuple(row) for row in rows]
