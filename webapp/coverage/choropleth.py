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
from sqlalchemy import ColumnElement, Float, Integer, Numeric, cast, func, literal, select
from sqlalchemy.dialects.postgresql import array

from webapp.coverage.area_figures import RATIO_DIGITS, RATIOS, Ratio
from webapp.kernel.data.models import Area, AreaCameraCount
from webapp.kernel.errors import InvalidField
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AreaKind, Limits

EXTENT = 4096
BUFFER = 64
SIMPLIFIED_MAX_ZOOM = 7


def ratio_of(cameras: ColumnElement, areas, ratio: Ratio) -> ColumnElement:
    """A ratio as area_figures computes it for the figures (in numpy), in SQL for the tiles and the legend:
    cameras x per / the areas' denominator column, NULL when it is unknown or zero."""
    per = literal(ratio.per, Numeric)
    return cameras * per / func.nullif(areas.c[ratio.denominator], 0)


def _area_tile_query(kind: str, z: int, x: int, y: int):
    """The areas of `kind` in tile z/x/y as a Mapbox vector tile, each with its live count and ratios."""
    envelope = func.ST_TileEnvelope(z, x, y)
    shape = Area.geom_simplified if z <= SIMPLIFIED_MAX_ZOOM else Area.geom
    shown = (
        select(Area, shape.label("shape"))
        .where(Area.kind == kind, shape.op("&&")(func.ST_Transform(envelope, 4326)))
        .subquery("shown")
    )
    counted = (
        select(func.sum(AreaCameraCount.cameras).label("cameras"))
        .where(AreaCameraCount.geoid == shown.c.geoid)
        .lateral("n")
    )
    cameras = func.coalesce(counted.c.cameras, 0)
    ratios = (
        cast(func.round(cast(ratio_of(cameras, shown, ratio), Numeric), RATIO_DIGITS), Float).label(
            ratio.name
        )
        for ratio in RATIOS
    )
    tile = (
        select(
            shown.c.geoid,
            shown.c.name,
            cast(cameras, Integer).label("cameras"),
            (func.coalesce(shown.c.population, 0) < Limits.AREA_POPULATION_FLOOR).label("below_floor"),
            *ratios,
            func.ST_AsMVTGeom(func.ST_Transform(shown.c.shape, 3857), envelope, EXTENT, BUFFER).label("geom"),
        )
        .select_from(shown.outerjoin(counted, literal(True)))
        .subquery("tile")
    )
    return select(func.ST_AsMVT(tile.table_valued(), "areas", EXTENT, "geom")).where(tile.c.geom.is_not(None))


def area_tile(kind: AreaKind, z: int, x: int, y: int) -> bytes:
    data = db.session.scalar(_area_tile_query(kind.value, z, x, y))
    return bytes(data or b"")


# At most five classes from the quintiles of the ranked areas (at or above the population floor), so the
# colours spread over the areas as they are now. The quintiles are values areas have (percentile_disc), so no
# class is empty; equal ones are merged, so no class repeats (all areas at 0: one class, "0").
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
    counted = (
        select(AreaCameraCount.geoid, func.sum(AreaCameraCount.cameras).label("cameras"))
        .group_by(AreaCameraCount.geoid)
        .subquery("counted")
    )
    areas = Area.__table__
    cameras = func.coalesce(counted.c.cameras, 0)
    figures = (
        select(
            cameras.label("cameras"), *(ratio_of(cameras, areas, ratio).label(ratio.name) for ratio in RATIOS)
        )
        .select_from(areas.outerjoin(counted, counted.c.geoid == areas.c.geoid))
        .where(
            areas.c.kind == kind.value, func.coalesce(areas.c.population, 0) >= Limits.AREA_POPULATION_FLOOR
        )
        .subquery("figures")
    )
    quantiles = array(QUANTILES)
    summaries = []
    for metric in metrics:
        value = figures.c[metric]
        summaries += [
            func.percentile_disc(quantiles).within_group(value).label(metric),
            func.min(value).label(f"{metric}_min"),
            func.max(value).label(f"{metric}_max"),
        ]
    row = db.session.execute(select(*summaries)).one()
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
