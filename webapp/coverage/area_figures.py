"""Figures per state and county, live: cameras (imported and reported), cameras per 10,000 residents, per
1,000 road miles and per 100 km², each area's rank and percentile among its peers on each ratio, and the
breakdown by vendor and operator.

Everything reads `area_camera_counts` (kept current by the triggers of migration 0006), never the cameras
themselves: one lean query gives every area of a kind with its counts (a few thousand rows), the ratios and
ranks are computed from it here, and the breakdowns come from the same table. Formulas: docs/coverage.md.
"""

import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, text

from webapp.coverage import live_cache
from webapp.coverage.breakdown import OPERATOR_KEY_SQL, operator_rows, vendor_rows
from webapp.kernel.data.models import Area
from webapp.kernel.errors import InvalidField, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AreaKind, Limits


@dataclass(frozen=True)
class Ratio:
    name: str  # the key in answers
    denominator: str  # the areas column
    per: int  # cameras per this many units of the denominator


RATIOS = (
    Ratio("per_10k_residents", "population", 10_000),
    Ratio("per_1k_road_miles", "road_miles", 1_000),
    Ratio("per_100_km2", "area_km2", 100),
)
RATIO_DIGITS = 4
PERCENTILE_DIGITS = 1

AREAS_SQL = text(
    """
    WITH counted AS (
        SELECT c.geoid, sum(c.cameras) AS cameras,
               sum(c.cameras) FILTER (WHERE c.source = 'osm') AS imported,
               sum(c.cameras) FILTER (WHERE c.source = 'report') AS reported
        FROM area_camera_counts AS c JOIN areas AS a USING (geoid)
        WHERE a.kind = :kind AND c.cameras <> 0
        GROUP BY c.geoid
    )
    SELECT a.geoid, a.kind, a.name, a.state_geoid, a.population, a.road_miles, a.area_km2,
           coalesce(n.cameras, 0)::integer AS cameras, coalesce(n.imported, 0)::integer AS imported,
           coalesce(n.reported, 0)::integer AS reported
    FROM areas AS a LEFT JOIN counted AS n USING (geoid)
    WHERE a.kind = :kind
    ORDER BY a.geoid
    """
)


def ratio_value(cameras: int, denominator: float | None, per: int) -> float | None:
    """cameras x per / denominator; None when the denominator is unknown or zero."""
    if not denominator:
        return None
    return cameras * per / denominator


def _standing(values: list[float]):
    """For a value among `values` (the peers): (rank, percentile). Rank 1 is the highest, ties share the
    best rank (SQL RANK); the percentile is the share of the other peers with a strictly lower value, x 100
    (SQL PERCENT_RANK)."""
    ordered = sorted(values)
    peers = len(ordered)

    def standing(value: float) -> tuple[int, float]:
        greater = peers - bisect_right(ordered, value)
        lower = bisect_left(ordered, value)
        return greater + 1, (100.0 * lower / (peers - 1) if peers > 1 else 0.0)

    return standing, peers


def _rank(areas: list[dict]) -> None:
    """Adds each ratio's value, rank, percentile and peers (and, for counties, rank in its state) to every
    area. Peers: the areas of the kind at or above the population floor whose ratio is defined."""
    for area in areas:
        area["ranked"] = (area["population"] or 0) >= Limits.AREA_POPULATION_FLOOR
    for ratio in RATIOS:
        for area in areas:
            area[ratio.name] = ratio_value(area["cameras"], area[ratio.denominator], ratio.per)
        eligible = [area for area in areas if area["ranked"] and area[ratio.name] is not None]
        standing, peers = _standing([area[ratio.name] for area in eligible])
        by_state = defaultdict(list)
        for area in eligible:
            by_state[area["state_geoid"]].append(area)
        in_state = {
            state: _standing([area[ratio.name] for area in group]) for state, group in by_state.items()
        }
        for area in eligible:
            rank, percentile = standing(area[ratio.name])
            state_standing, state_peers = in_state[area["state_geoid"]]
            area[f"{ratio.name}_standing"] = (
                rank,
                percentile,
                peers,
                state_standing(area[ratio.name])[0],
                state_peers,
            )


def _rounded(value, digits: int):
    return None if value is None else round(float(value), digits)


def area_answer(area: dict, vendors: list[dict], operators: list[dict]) -> dict:
    """One area's answer from a ranked area (see _rank)."""
    answer = {
        "geoid": area["geoid"],
        "kind": area["kind"],
        "name": area["name"],
        "state_geoid": area["state_geoid"],
        "population": area["population"],
        "road_miles": _rounded(area["road_miles"], 1),
        "area_km2": _rounded(area["area_km2"], 1),
        "cameras": area["cameras"],
        "imported": area["imported"],
        "reported": area["reported"],
        "below_population_floor": not area["ranked"],
    }
    county = area["kind"] == AreaKind.COUNTY
    for ratio in RATIOS:
        rank, percentile, peers, rank_in_state, peers_in_state = (
            area.get(f"{ratio.name}_standing") or (None,) * 5
        )
        figure = {
            "value": _rounded(area[ratio.name], RATIO_DIGITS),
            "rank": rank,
            "percentile": _rounded(percentile, PERCENTILE_DIGITS),
            "peers": peers,
        }
        if county:
            figure["rank_in_state"] = rank_in_state
            figure["peers_in_state"] = peers_in_state
        answer[ratio.name] = figure
    answer["vendors"] = vendors
    answer["operators"] = operators
    return answer


# The top entries of each area's breakdown and the sum of the rest, in SQL: a few rows per area reach Python.
# The wanted areas are joined (a hash join), not tested with `= ANY(array)`, which would compare every count
# row with every GEOID.
BREAKDOWN_SQL = """
    WITH totals AS (
        SELECT geoid, {column} AS key, sum(cameras)::integer AS cameras
        FROM area_camera_counts JOIN unnest(CAST(:geoids AS text[])) AS wanted(geoid) USING (geoid)
        WHERE cameras <> 0 GROUP BY 1, 2
    ), placed AS (
        SELECT *, row_number() OVER (PARTITION BY geoid ORDER BY cameras DESC, key) AS place FROM totals
    )
    SELECT geoid, key, cameras, false AS rest FROM placed WHERE place <= :top
    UNION ALL
    SELECT geoid, NULL, sum(cameras)::integer, true FROM placed WHERE place > :top GROUP BY geoid
    ORDER BY 1, 4, 3 DESC, 2
"""


def _breakdowns(geoids: list[str], top: int) -> dict[str, tuple[list[dict], list[dict]]]:
    """Vendor and operator breakdowns (top N and "other") of each area."""
    parts: dict[str, dict[str, tuple[list, int]]] = {
        geoid: {"vendor": ([], 0), "operator": ([], 0)} for geoid in geoids
    }
    for column in ("vendor", "operator"):
        key = OPERATOR_KEY_SQL if column == "operator" else column
        rows = db.session.execute(text(BREAKDOWN_SQL.format(column=key)), {"geoids": geoids, "top": top})
        for geoid, key, cameras, rest in rows:
            head, other = parts[geoid][column]
            parts[geoid][column] = (head, other + cameras) if rest else (head + [(key, cameras)], other)
    return {
        geoid: (vendor_rows(*found["vendor"]), operator_rows(*found["operator"]))
        for geoid, found in parts.items()
    }


def parse_state(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) == 2):
        raise InvalidField(
            "state", _("state must be a state's two-digit GEOID, for example 17 for Illinois.")
        )
    return raw


def ranked_areas(kind: AreaKind) -> list[dict]:
    """Every area of a kind, by GEOID, with its counts and its standing on each ratio (kept while the
    counts are unchanged: webapp.coverage.live_cache). Callers must not change the dicts."""

    def compute() -> list[dict]:
        areas = [dict(row) for row in db.session.execute(AREAS_SQL, {"kind": kind.value}).mappings()]
        _rank(areas)
        return areas

    return live_cache.current(("ranked", kind.value), live_cache.counts_version(), compute)


def area_list_json(kind: AreaKind, state: str | None, top: int) -> str:
    """area_list() as JSON text, kept while the counts are unchanged (the national county list is 2 MB)."""
    key = ("list", kind.value, state, top)
    return live_cache.current(
        key,
        live_cache.counts_version(),
        lambda: json.dumps(area_list(kind, state, top), separators=(",", ":")),
    )


def area_list(kind: AreaKind, state: str | None = None, top: int = 3) -> list[dict]:
    """Every area of a kind (counties of one state when `state` is given), by GEOID, with figures. Ranks are
    always among all the areas of the kind (counties nationally, and in their state)."""
    areas = ranked_areas(kind)
    if state is not None:
        areas = [area for area in areas if area["state_geoid"] == state]
        if not areas and not _state_exists(state):
            raise NotFound(_("No state has the GEOID %(geoid)s.", geoid=state))
    breakdowns = _breakdowns([area["geoid"] for area in areas], top)
    return [area_answer(area, *breakdowns[area["geoid"]]) for area in areas]


def _state_exists(geoid: str) -> bool:
    return bool(db.session.scalar(text("SELECT 1 FROM areas WHERE geoid = :geoid"), {"geoid": geoid}))


def area_figures(geoid: str, top: int = Limits.BREAKDOWN_TOP_DEFAULT) -> dict:
    """One area's figures, ranked among all areas of its kind; NotFound for an unknown GEOID."""
    if not (geoid.isascii() and geoid.isdigit() and len(geoid) in (2, 5)):
        raise NotFound(_("An area's GEOID is 2 digits (a state) or 5 (a county)."))
    kind = AreaKind.STATE if len(geoid) == 2 else AreaKind.COUNTY
    area = next((area for area in ranked_areas(kind) if area["geoid"] == geoid), None)
    if area is None:
        raise NotFound(_("No area has the GEOID %(geoid)s.", geoid=geoid))
    answer = area_answer(area, *_breakdowns([geoid], top)[geoid])
    box = db.session.execute(
        text(
            "SELECT ST_XMin(geom_simplified) AS west, ST_YMin(geom_simplified) AS south, "
            "ST_XMax(geom_simplified) AS east, ST_YMax(geom_simplified) AS north "
            "FROM areas WHERE geoid = :geoid"
        ),
        {"geoid": geoid},
    ).one()
    answer["bbox"] = [round(value, 4) for value in (box.west, box.south, box.east, box.north)]
    if kind == AreaKind.COUNTY:
        answer["state_name"] = db.session.scalar(
            text("SELECT name FROM areas WHERE geoid = :geoid"), {"geoid": area["state_geoid"]}
        )
    return answer


def area_named(name: str | None) -> str:
    """The GEOID of the state or county of this exact name (as the boundary files and the map's gazetteer
    write it); NotFound for any other."""
    name = (name or "").strip()
    geoid = db.session.scalar(select(Area.geoid).where(Area.name == name).order_by(Area.kind.desc()).limit(1))
    if geoid is None:
        raise NotFound(_("No state or county of that name has coverage figures."))
    return geoid
