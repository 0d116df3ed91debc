"""The choropleth: vector tiles of state or county polygons with their live figures as properties, and the
class breaks of its legend.

Why tiles rather than GeoJSON: the 3,222 county polygons are about 3 MB as GeoJSON even simplified, too much
for a phone on every visit, while a tile holds only the areas it shows, simplified for its zoom (PostGIS
quantises them to the tile grid), and the counts in it are read live from `area_camera_counts` like every
other figure. Leaflet.VectorGrid, already served for the density map, draws them. Zooms up to
SIMPLIFIED_MAX_ZOOM use the simplified boundaries (about 1 km), higher zooms the full ones.
"""

from sqlalchemy import text

from webapp.coverage.area_figures import RATIOS
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AreaKind, Limits

EXTENT = 4096
BUFFER = 64
SIMPLIFIED_MAX_ZOOM = 7


def _tile_ratio_columns() -> str:
    return ", ".join(
        f"round((coalesce(n.cameras, 0) * {ratio.per}.0 / nullif(a.{ratio.denominator}, 0))::numeric, 4)"
        f"::float8 AS {ratio.name}"
        for ratio in RATIOS
    )


AREA_TILE = text(
    f"""
    WITH bounds AS (
        SELECT envelope, ST_Transform(envelope, 4326) AS search_area
        FROM ST_TileEnvelope(:z, :x, :y) AS envelope
    ), shown AS (
        SELECT a.*, CASE WHEN :z <= {SIMPLIFIED_MAX_ZOOM} THEN a.geom_simplified ELSE a.geom END AS shape
        FROM areas AS a, bounds
        WHERE a.kind = :kind
          AND CASE WHEN :z <= {SIMPLIFIED_MAX_ZOOM} THEN a.geom_simplified ELSE a.geom END
              && bounds.search_area
    )
    SELECT ST_AsMVT(tile, 'areas', {EXTENT}, 'geom') FROM (
        SELECT a.geoid, a.name, coalesce(n.cameras, 0)::integer AS cameras,
               (coalesce(a.population, 0) < {Limits.AREA_POPULATION_FLOOR}) AS below_floor,
               {_tile_ratio_columns()},
               ST_AsMVTGeom(ST_Transform(a.shape, 3857), bounds.envelope, {EXTENT}, {BUFFER}) AS geom
        FROM shown AS a CROSS JOIN bounds
        LEFT JOIN LATERAL (
            SELECT sum(cameras) AS cameras FROM area_camera_counts AS c WHERE c.geoid = a.geoid
        ) AS n ON true
    ) AS tile WHERE geom IS NOT NULL
    """
)


def area_tile(kind: AreaKind, z: int, x: int, y: int) -> bytes:
    data = db.session.scalar(AREA_TILE, {"kind": kind.value, "z": z, "x": x, "y": y})
    return bytes(data or b"")


# Five classes from the quintiles of the ranked areas (at or above the population floor), so the colours
# spread over the areas as they are now.
LEGEND_SQL = """
    WITH counted AS (
        SELECT c.geoid, sum(c.cameras) AS cameras FROM area_camera_counts AS c GROUP BY c.geoid
    ), figures AS (
        SELECT coalesce(n.cameras, 0) AS cameras, {ratios}
        FROM areas AS a LEFT JOIN counted AS n USING (geoid)
        WHERE a.kind = :kind AND coalesce(a.population, 0) >= :floor
    )
    SELECT {quantiles} FROM figures
"""


def legend_breaks(kind: AreaKind) -> dict[str, list[float]]:
    """Per metric (`cameras` and each ratio), the four upper bounds of the lower classes."""
    metrics = ["cameras", *(ratio.name for ratio in RATIOS)]
    ratios = ", ".join(
        f"coalesce(n.cameras, 0) * {ratio.per}.0 / nullif(a.{ratio.denominator}, 0) AS {ratio.name}"
        for ratio in RATIOS
    )
    quantiles = ", ".join(
        f"percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY {metric}) AS {metric}"
        for metric in metrics
    )
    row = db.session.execute(
        text(LEGEND_SQL.format(ratios=ratios, quantiles=quantiles)),
        {"kind": kind.value, "floor": Limits.AREA_POPULATION_FLOOR},
    ).one()
    return {metric: [round(value, 4) for value in (getattr(row, metric) or [])] for metric in metrics}
