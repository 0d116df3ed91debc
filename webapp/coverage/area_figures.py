"""Figures per state and county, live: cameras (imported and reported), cameras per 10,000 residents, per
1,000 road miles and per 100 km², each area's rank and percentile among its peers on each ratio, and the
breakdown by vendor and operator.

Everything reads `area_camera_counts` (kept current by the triggers of migration 0006), never the cameras
themselves: one lean query gives every area of a kind with its counts (a few thousand rows), the ratios and
ranks are computed from it here, and the breakdowns come from the same table. Formulas: docs/coverage.md.

When the counts change, only the areas whose count rows changed since the kept version (migration 0022) are
read again, with their breakdowns; every area is ranked again (numpy, a few milliseconds for 3,222
counties), and an area's JSON is written again only when its figures or its breakdown changed.
"""

import json
from dataclasses import dataclass

import numpy as np
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Text,
    bindparam,
    cast,
    false,
    func,
    null,
    select,
    text,
    true,
    union_all,
)

from webapp.coverage import live_cache
from webapp.coverage.breakdown import operator_key_of, operator_rows, vendor_rows
from webapp.kernel.data.models import Area, AreaCameraCount
from webapp.kernel.errors import InvalidField, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AreaKind, CameraSource, Limits


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

# {wanted}: nothing (every area of the kind), or a join with the GEOIDs asked for.
areas = Area.__table__
counts = AreaCameraCount.__table__


# The queries below are built once, with their values as bound parameters (:kind, :geoids, :top): a
# recomputation after a change runs them at every request, and building one again would cost more than its
# plan.


def _wanted():
    """The GEOIDs of :geoids as a derived table `wanted(geoid)`, joined (a hash join) rather than tested with
    `= ANY(array)`, which would compare every count row with every GEOID."""
    geoids = bindparam("geoids", type_=ARRAY(Text))
    return func.unnest(geoids).table_valued("geoid").render_derived("wanted")


def _areas_query(wanted_only: bool):
    """AREA_FIELDS of every area of the kind :kind, or only of the GEOIDs :geoids, by GEOID."""
    kind = bindparam("kind", type_=Text)
    counted_from = counts.join(areas, areas.c.geoid == counts.c.geoid)
    listed = areas
    if wanted_only:
        wanted = _wanted()
        counted_from = counted_from.join(wanted, wanted.c.geoid == counts.c.geoid)
        listed = areas.join(wanted, wanted.c.geoid == areas.c.geoid)
    cameras = func.sum(counts.c.cameras)
    counted = (
        select(
            counts.c.geoid,
            cameras.label("cameras"),
            cameras.filter(counts.c.source == CameraSource.OSM).label("imported"),
            cameras.filter(counts.c.source == CameraSource.REPORT).label("reported"),
        )
        .select_from(counted_from)
        .where(areas.c.kind == kind, counts.c.cameras != 0)
        .group_by(counts.c.geoid)
        .cte("counted")
    )
    totals = (cast(func.coalesce(counted.c[name], 0), Integer).label(name) for name in TOTALS)
    return (
        select(*(areas.c[name] for name in AREA_FIELDS[: -len(TOTALS)]), *totals)
        .select_from(listed.outerjoin(counted, counted.c.geoid == areas.c.geoid))
        .where(areas.c.kind == kind)
        .order_by(areas.c.geoid)
    )


# The areas whose count rows changed after a version (the index of migration 0022).
CHANGED_SQL = text("SELECT DISTINCT geoid FROM area_camera_counts WHERE version > :since")
# What an area's figures are made of, besides its ratios and standings.
AREA_FIELDS = (
    "geoid",
    "kind",
    "name",
    "state_geoid",
    "population",
    "road_miles",
    "area_km2",
    "cameras",
    "imported",
    "reported",
)
# The last of AREA_FIELDS: counted from area_camera_counts, not read from `areas`.
TOTALS = ("cameras", "imported", "reported")
AREAS, WANTED_AREAS = _areas_query(wanted_only=False), _areas_query(wanted_only=True)


# Per ratio, the columns of Ranked.figures: value, rank, percentile, peers, rank in state, peers in state.
FIGURES_PER_RATIO = 6


@dataclass(frozen=True)
class Ranked:
    """Every area of a kind by GEOID, each a dict of its AREA_FIELDS, "ranked" (at or above the population
    floor), each ratio's value and its standing (rank, percentile, peers, rank in state, peers in state;
    None when the area is not among the peers). The dicts are shared between versions: never change one."""

    areas: list[dict]
    position: dict[str, int]
    # What the ranking reads (cameras, the population floor, the states, each ratio's denominator) and
    # what it gives (FIGURES_PER_RATIO columns per ratio, one row per area): an update compares them.
    cameras: np.ndarray
    ranked: np.ndarray
    states: np.ndarray
    denominators: np.ndarray
    figures: np.ndarray


def _figures(cameras: np.ndarray, ranked: np.ndarray, states: np.ndarray, denominators: np.ndarray):
    """Each ratio's value and standings for every area, as FIGURES_PER_RATIO columns per ratio (0 where an
    area is not among the peers). Peers: the areas at or above the population floor whose ratio is defined.
    Rank 1 is the highest, ties share the best rank (SQL RANK); the percentile is the share of the other
    peers with a strictly lower value, x 100 (SQL PERCENT_RANK); the same ranks within each state."""
    count = len(cameras)
    columns = []
    for number, ratio in enumerate(RATIOS):
        defined = denominators[:, number] != 0
        values = np.divide(cameras * ratio.per, denominators[:, number], out=np.zeros(count), where=defined)
        eligible = defined & ranked
        ordered = np.sort(values[eligible])
        peers = len(ordered)
        # Peers at or below each value: equal for equal values, larger for every larger one.
        at_or_below = np.searchsorted(ordered, values, "right")
        lower = np.searchsorted(ordered, values, "left")
        percentiles = 100.0 * lower / (peers - 1) if peers > 1 else np.zeros(count)
        # Within a state: the same count on keys that order areas by state, then by value.
        keys = states * (peers + 1) + at_or_below
        state_keys = np.sort(keys[eligible])
        state_ends = np.searchsorted(state_keys, (states + 1) * (peers + 1), "left")
        ranks_in_state = state_ends - np.searchsorted(state_keys, keys, "right") + 1
        peers_in_state = np.bincount(states[eligible], minlength=states.max(initial=0) + 1)[states]
        standings = (
            peers - at_or_below + 1,
            percentiles,
            np.full(count, peers),
            ranks_in_state,
            peers_in_state,
        )
        columns.append(values)
        columns.extend(np.where(eligible, column, 0) for column in standings)
    return np.column_stack(columns) if count else np.zeros((0, FIGURES_PER_RATIO * len(RATIOS)))


def _area(fields: dict, ranked: bool, denominators: np.ndarray, figures: np.ndarray) -> dict:
    """One area's dict (see Ranked) from its fields and its row of figures."""
    area = {field: fields[field] for field in AREA_FIELDS}
    area["ranked"] = ranked
    for number, ratio in enumerate(RATIOS):
        value, rank, percentile, peers, rank_in_state, peers_in_state = figures[
            number * FIGURES_PER_RATIO : (number + 1) * FIGURES_PER_RATIO
        ].tolist()
        defined = bool(denominators[number])
        area[ratio.name] = value if defined else None
        area[f"{ratio.name}_standing"] = (
            (int(rank), percentile, int(peers), int(rank_in_state), int(peers_in_state))
            if defined and ranked
            else None
        )
    return area


def _rank(rows: list[dict]) -> Ranked:
    """Every area of `rows` (AREA_FIELDS, by GEOID) ranked on each ratio."""
    cameras = np.array([row["cameras"] for row in rows], dtype=np.float64)
    ranked = np.array([(row["population"] or 0) >= Limits.AREA_POPULATION_FLOOR for row in rows], dtype=bool)
    _names, states = np.unique([row["state_geoid"] or "" for row in rows], return_inverse=True)
    denominators = np.array(
        [[row[ratio.denominator] or 0 for ratio in RATIOS] for row in rows], dtype=np.float64
    ).reshape(len(rows), len(RATIOS))
    figures = _figures(cameras, ranked, states, denominators)
    areas = [
        _area(row, bool(is_ranked), row_denominators, row_figures)
        for row, is_ranked, row_denominators, row_figures in zip(
            rows, ranked.tolist(), denominators, figures, strict=True
        )
    ]
    position = {area["geoid"]: index for index, area in enumerate(areas)}
    return Ranked(areas, position, cameras, ranked, states, denominators, figures)


def _rerank(kept: Ranked, fresh: dict[str, dict]) -> Ranked:
    """`kept` with the counts of the `fresh` rows (AREA_FIELDS by GEOID; the same areas, denominators and
    states): every area ranked again, and a dict made again only for an area whose row or figures changed."""
    cameras = kept.cameras.copy()
    for geoid, row in fresh.items():
        cameras[kept.position[geoid]] = row["cameras"]
    figures = _figures(cameras, kept.ranked, kept.states, kept.denominators)
    remade = set(np.flatnonzero((figures != kept.figures).any(axis=1)).tolist())
    remade.update(kept.position[geoid] for geoid in fresh)
    areas = list(kept.areas)
    for index in remade:
        fields = fresh.get(areas[index]["geoid"], areas[index])
        areas[index] = _area(fields, bool(kept.ranked[index]), kept.denominators[index], figures[index])
    return Ranked(areas, kept.position, cameras, kept.ranked, kept.states, kept.denominators, figures)


def _rounded(value, digits: int):
    return None if value is None else round(float(value), digits)


def area_answer(area: dict, vendors: list[dict], operators: list[dict]) -> dict:
    """One area's answer from a ranked area (see _rank)."""
    return {**_answer_head(area), **_answer_ratios(area), "vendors": vendors, "operators": operators}


def _answer_head(area: dict) -> dict:
    """The start of an area's answer: what it is and its counts."""
    return {
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


def _answer_ratios(area: dict) -> dict:
    """The middle of an area's answer: each ratio's value and standing (all that a change of another area's
    counts can change)."""
    county = area["kind"] == AreaKind.COUNTY
    answer = {}
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
    return answer


def _breakdown_query(key: ColumnElement):
    """The :top entries of the breakdown by `key` of each area of :geoids (geoid, key, cameras, rest false)
    and the sum of the rest (geoid, NULL, cameras, rest true), in SQL: a few rows per area reach Python."""
    top = bindparam("top", type_=Integer)
    wanted = _wanted()
    totals = (
        select(counts.c.geoid, key.label("key"), cast(func.sum(counts.c.cameras), Integer).label("cameras"))
        .select_from(counts.join(wanted, wanted.c.geoid == counts.c.geoid))
        .where(counts.c.cameras != 0)
        .group_by(counts.c.geoid, key)
        .cte("totals")
    )
    place = func.row_number().over(
        partition_by=totals.c.geoid, order_by=(totals.c.cameras.desc(), totals.c.key)
    )
    placed = select(totals, place.label("place")).cte("placed")
    listed = union_all(
        select(placed.c.geoid, placed.c.key, placed.c.cameras, false().label("rest")).where(
            placed.c.place <= top
        ),
        select(placed.c.geoid, null(), cast(func.sum(placed.c.cameras), Integer), true())
        .where(placed.c.place > top)
        .group_by(placed.c.geoid),
    )
    columns = listed.selected_columns
    return listed.order_by(columns.geoid, columns.rest, columns.cameras.desc(), columns.key)


BREAKDOWNS = {
    "vendor": _breakdown_query(counts.c.vendor),
    "operator": _breakdown_query(operator_key_of(counts)),
}


def _breakdowns(geoids: list[str], top: int) -> dict[str, tuple[list[dict], list[dict]]]:
    """Vendor and operator breakdowns (top N and "other") of each area."""
    parts: dict[str, dict[str, tuple[list, int]]] = {
        geoid: {"vendor": ([], 0), "operator": ([], 0)} for geoid in geoids
    }
    for column, query in BREAKDOWNS.items():
        for geoid, found, cameras, rest in db.session.execute(query, {"geoids": geoids, "top": top}):
            head, other = parts[geoid][column]
            parts[geoid][column] = (head, other + cameras) if rest else (head + [(found, cameras)], other)
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


def _area_rows(kind: AreaKind, geoids: list[str] | None = None) -> list[dict]:
    """AREA_FIELDS of every area of a kind, or of these GEOIDs, by GEOID."""
    query, values = (AREAS, {}) if geoids is None else (WANTED_AREAS, {"geoids": geoids})
    return [dict(row) for row in db.session.execute(query, {"kind": kind.value, **values}).mappings()]


def _changed_since(version: int, ranked: Ranked) -> list[str]:
    """The areas among `ranked` whose counts changed after `version`, by GEOID."""
    changed = db.session.scalars(CHANGED_SQL, {"since": version})
    return sorted(geoid for geoid in changed if geoid in ranked.position)


def _ranked(kind: AreaKind, versions: tuple | None) -> Ranked:
    """Every area of a kind ranked, at the counts' `versions` (live_cache.counts_versions()): kept in the
    worker, brought up to date from the areas whose counts changed."""

    def update(kept: Ranked | None, since: int | None) -> Ranked:
        if kept is None:
            return _rank(_area_rows(kind))
        changed = _changed_since(since, kept)
        if not changed:
            return kept
        return _rerank(kept, {row["geoid"]: row for row in _area_rows(kind, changed)})

    return live_cache.updated(("ranked", kind.value), versions, update)


@dataclass(frozen=True)
class Listed:
    """Every area of a kind with its figures and top-N breakdowns, and each area's answer as JSON text."""

    ranked: Ranked
    breakdowns: dict[str, tuple[list[dict], list[dict]]]
    # Each area's answer as JSON text, in the order of ranked.areas, and the start and end of that text
    # (all but the ratios, which another area's change can move).
    ends: list[tuple[str, str]]
    fragments: list[str]


def _listed(kind: AreaKind, top: int, versions: tuple | None) -> Listed:
    """The areas' answers (top N of each breakdown) at the counts' `versions`, kept per language in the
    worker: breakdowns are read again for the areas whose counts changed only, and an area's JSON is
    written again only when its figures or its breakdown changed."""
    ranked = _ranked(kind, versions)

    def update(kept: Listed | None, since: int | None) -> Listed:
        if kept is None:
            breakdowns = _breakdowns([area["geoid"] for area in ranked.areas], top)
            ends, fragments = [("", "")] * len(ranked.areas), [""] * len(ranked.areas)
            recounted = moved = set(range(len(ranked.areas)))
        else:
            changed = _changed_since(since, ranked)
            breakdowns = {**kept.breakdowns, **(_breakdowns(changed, top) if changed else {})}
            ends, fragments = list(kept.ends), list(kept.fragments)
            recounted = {ranked.position[geoid] for geoid in changed}
            moved = recounted | {
                index
                for index, (area, before) in enumerate(zip(ranked.areas, kept.ranked.areas, strict=True))
                if area is not before
            }
        for index in recounted:
            area = ranked.areas[index]
            vendors, operators = breakdowns[area["geoid"]]
            ends[index] = (
                _json(_answer_head(area))[:-1],
                _json({"vendors": vendors, "operators": operators})[1:],
            )
        for index in moved:
            head, tail = ends[index]
            fragments[index] = f"{head},{_json(_answer_ratios(ranked.areas[index]))[1:-1]},{tail}"
        return Listed(ranked, breakdowns, ends, fragments)

    return live_cache.updated(("listed", kind.value, top, str(get_locale())), versions, update)


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def _listed_areas(listed: Listed, state: str | None) -> list[dict]:
    """The ranked areas of a list, or of one state's counties (NotFound for a state that does not exist)."""
    areas = listed.ranked.areas
    if state is not None:
        areas = [area for area in areas if area["state_geoid"] == state]
        if not areas and not _state_exists(state):
            raise NotFound(_("No state has the GEOID %(geoid)s.", geoid=state))
    return areas


def area_list_json(kind: AreaKind, state: str | None, top: int) -> str:
    """area_list() as JSON text (the national county list is 2 MB), written from each area's kept JSON."""
    versions = live_cache.counts_versions()
    listed = _listed(kind, top, versions)
    fragments, position = listed.fragments, listed.ranked.position

    def joined() -> str:
        if state is None:
            return "[" + ",".join(fragments) + "]"
        return (
            "[" + ",".join(fragments[position[area["geoid"]]] for area in _listed_areas(listed, state)) + "]"
        )

    kept_at = versions[0] if versions is not None and not versions[2] else None
    return live_cache.current(("list", kind.value, state, top, str(get_locale())), kept_at, joined)


def area_list(kind: AreaKind, state: str | None = None, top: int = 3) -> list[dict]:
    """Every area of a kind (counties of one state when `state` is given), by GEOID, with figures. Ranks are
    always among all the areas of the kind (counties nationally, and in their state)."""
    listed = _listed(kind, top, live_cache.counts_versions())
    return [area_answer(area, *listed.breakdowns[area["geoid"]]) for area in _listed_areas(listed, state)]


def _state_exists(geoid: str) -> bool:
    return bool(db.session.scalar(text("SELECT 1 FROM areas WHERE geoid = :geoid"), {"geoid": geoid}))


def area_figures(geoid: str, top: int = Limits.BREAKDOWN_TOP_DEFAULT) -> dict:
    """One area's figures, ranked among all areas of its kind; NotFound for an unknown GEOID."""
    if not (geoid.isascii() and geoid.isdigit() and len(geoid) in (2, 5)):
        raise NotFound(_("An area's GEOID is 2 digits (a state) or 5 (a county)."))
    kind = AreaKind.STATE if len(geoid) == 2 else AreaKind.COUNTY
    ranked = _ranked(kind, live_cache.counts_versions())
    if geoid not in ranked.position:
        raise NotFound(_("No area has the GEOID %(geoid)s.", geoid=geoid))
    area = ranked.areas[ranked.position[geoid]]
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
