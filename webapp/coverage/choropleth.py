"""The choropleth: vector tiles of state or county polygons with their live figures as properties, and the
class breaks of its legend.

Why tiles rather than GeoJSON: the 3,222 county polygons are about 3 MB as GeoJSON even simplified, too much
for a phone on every visit, while a tile holds only the areas it shows, simplified for its zoom (PostGIS
quantises them to the tile grid), and the counts in it are read live from `area_camera_counts` like every
other figure. Leaflet.VectorGrid, already served for the density map, draws them. Zooms up to
SIMPLIFIED_MAX_ZOOM use the simplified boundaries (about 1 km), higher zooms the full ones.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.coverage.area_figures import RATIOS
from webapp.kernel.errors import InvalidField
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
    """  # noqa: S608 (column names from RATIOS, numbers from this module's constants; values bound)
)


def area_tile(kind: AreaKind, z: int, x: int, y: int) -> bytes:
    data = db.session.scalar(AREA_TILE, {"kind": kind.value, "z": z, "x": x, "y": y})
    return bytes(data or b"")


# At most five classes from the quintiles of the ranked areas (at or above the population floor), so the
# colours spread over the areas as they are now. The quintiles are values areas have (percentile_disc), so no
# class is empty; equal ones are merged, so no class repeats (all areas at 0: one class, "0").
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
QUANTILES = (0.2, 0.4, 0.6, 0.8)
# Counts are whole numbers: a class after the first starts at the cut before it plus one.
WHOLE_METRICS = {"cameras"}


def shown(value: float) -> float:
    """A legend's number as the legend writes it (static/js/choropleth.js `fmt`): whole from 100 up, else
    three significant digits. Breaks are rounded so first, so two breaks never read the same."""
    return float(round(value)) if abs(value) >= 100 else float(f"{value:.3g}")


@dataclass(frozen=True)
class Legend:
    """Per metric: `breaks`, the upper bounds of every class but the last (a value at most breaks[i] is in
    class i), and `classes`, each class's [low, high] as the legend writes it (high None: "> low")."""

    breaks: dict[str, list[float]]
    classes: dict[str, list[list[float | None]]]


def legend_classes(metric: str, quantiles: list[float], low: float, high: float) -> tuple[list, list]:
    """The breaks and classes of one metric from its quintiles and its smallest and largest value."""
    low, high = shown(low), shown(high)
    cuts = sorted({shown(value) for value in quantiles if low <= shown(value) < high})
    if not cuts:
        return [], [[low, high]]
    step = 1 if metric in WHOLE_METRICS else 0
    starts = [low, *(cut + step for cut in cuts[:-1])]
    classes = [[start, cut] for start, cut in zip(starts, cuts, strict=True)]
    return cuts, [*classes, [cuts[-1], None]]


def legend_of(kind: AreaKind) -> Legend:
    """The legend of every metric (`cameras` and each ratio) for states or counties."""
    metrics = ["cameras", *(ratio.name for ratio in RATIOS)]
    ratios = ", ".join(
        f"coalesce(n.cameras, 0) * {ratio.per}.0 / nullif(a.{ratio.denominator}, 0) AS {ratio.name}"
        for ratio in RATIOS
    )
    quantiles = ", ".join(
        f"percentile_disc(ARRAY{list(QUANTILES)}) WITHIN GROUP (ORDER BY {metric}) AS {metric}, "
        f"min({metric}) AS {metric}_min, max({metric}) AS {metric}_max"
        for metric in metrics
    )
    row = db.session.execute(
        text(LEGEND_SQL.format(ratios=ratios, quantiles=quantiles)),
        {"kind": kind.value, "floor": Limits.AREA_POPULATION_FLOOR},
    ).one()
    breaks, classes = {}, {}
    for metric in metrics:
        values = [float(value) for value in (getattr(row, metric) or []) if value is not None]
        low, high = getattr(row, f"{metric}_min"), getattr(row, f"{metric}_max")
        if low is None:  # no area with a figure
            breaks[metric], classes[metric] = [], []
            continue
        breaks[metric], classes[metric] = legend_classes(metric, values, float(low), float(high))
    return Legend(breaks, classes)


def area_kind(raw: str) -> AreaKind:
    try:
        return AreaKind(raw)
    except ValueError:
        raise InvalidField("kind", _("kind must be state or county.")) from None
