"""Route exposure: the citable cameras within buffer_m of a route, how many face the traffic on it, the reads
a driver would pass per km, and the cameras by vendor and operator.

A camera faces a route when one of its directions lies within FACING_DEGREES (35°) of the direction of travel
of a route segment within buffer_m of it; on a two-way road (the default) the reverse direction counts too, on
a one-way route only the direction the route is drawn in. A camera with no recorded direction is neither
facing nor not facing: it is counted in `direction_unknown`, so `reads_per_km` (facing cameras per km) is a
lower bound and `reads_per_km_upper` (facing or unknown, per km) an upper one.

PostGIS finds the candidates (the cameras inside a generous planar buffer of the route, through the GiST
index); the exact test is done here, per camera, against the route cut into pieces of at most 200 m found
through a small grid: distances on a flat plane tangent at the camera (under 0.01 % off at 500 m), bearings of
each piece, so a 1,000-point route near 300 cameras costs a few milliseconds.
"""

import json
import math
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.camera_fields.directions import angle_between
from webapp.coverage.breakdown import operator_breakdown, vendor_breakdown
from webapp.coverage.geojson_out import feature_collection
from webapp.coverage.shapes import InvalidGeometry, Line
from webapp.geo.geojson import camera_feature
from webapp.geo.public_cameras import citable_cameras_near_line
from webapp.kernel.errors import InvalidField
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraSource, Limits
from webapp.opendata.drawn_areas import keep_area

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180
PIECE_MAX_M = 200.0
CELL_DEGREES = 0.01
# Candidates PostGIS may hand back for one route; more means a route through very dense coverage that is
# better split.
MAX_CANDIDATES = 20_000


@dataclass(frozen=True)
class Piece:
    lon0: float
    lat0: float
    lon1: float
    lat1: float
    bearing: float  # the direction of travel, degrees clockwise from north


def parse_buffer(raw: str | None) -> int:
    if raw is None or raw == "":
        return Limits.ROUTE_BUFFER_DEFAULT_M
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and Limits.ROUTE_BUFFER_MIN_M <= value <= Limits.ROUTE_BUFFER_MAX_M):
        raise InvalidField(
            "buffer_m",
            _(
                "buffer_m must be a number of metres from %(low)d to %(high)d.",
                low=Limits.ROUTE_BUFFER_MIN_M,
                high=Limits.ROUTE_BUFFER_MAX_M,
            ),
        )
    return int(round(value))


def parse_two_way(raw: str | None) -> bool:
    if raw is None or raw == "":
        return True
    value = raw.strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise InvalidField("two_way", _("two_way must be true or false."))
    return value in ("true", "1", "yes")


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def initial_bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return math.degrees(math.atan2(y, x)) % 360


def _pieces(lines: list[Line]) -> list[Piece]:
    pieces = []
    for line in lines:
        for start, end in zip(line, line[1:], strict=False):
            count = max(1, math.ceil(haversine_m(start, end) / PIECE_MAX_M))
            for step in range(count):
                f0, f1 = step / count, (step + 1) / count
                a = (start[0] + (end[0] - start[0]) * f0, start[1] + (end[1] - start[1]) * f0)
                b = (start[0] + (end[0] - start[0]) * f1, start[1] + (end[1] - start[1]) * f1)
                pieces.append(Piece(a[0], a[1], b[0], b[1], initial_bearing(a, b)))
    return pieces


def _cell(lon: float, lat: float) -> tuple[int, int]:
    return math.floor(lon / CELL_DEGREES), math.floor(lat / CELL_DEGREES)


def _grid(pieces: list[Piece]) -> dict[tuple[int, int], list[Piece]]:
    grid: dict[tuple[int, int], list[Piece]] = defaultdict(list)
    for piece in pieces:
        grid[_cell((piece.lon0 + piece.lon1) / 2, (piece.lat0 + piece.lat1) / 2)].append(piece)
    return grid


def _distance_m(lon: float, lat: float, piece: Piece) -> float:
    """Distance from a point to a piece on the plane tangent at the point."""
    kx = METRES_PER_DEGREE * math.cos(math.radians(lat))
    ky = METRES_PER_DEGREE
    x0, y0 = (piece.lon0 - lon) * kx, (piece.lat0 - lat) * ky
    x1, y1 = (piece.lon1 - lon) * kx, (piece.lat1 - lat) * ky
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(x0 * dx + y0 * dy) / length2))
    return math.hypot(x0 + t * dx, y0 + t * dy)


def _pieces_near(grid, lon: float, lat: float, reach_m: float) -> list[Piece]:
    cx, cy = _cell(lon, lat)
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    span_x = math.ceil(reach_m / (CELL_DEGREES * METRES_PER_DEGREE * cos_lat))
    span_y = math.ceil(reach_m / (CELL_DEGREES * METRES_PER_DEGREE))
    return [
        piece
        for x in range(cx - span_x, cx + span_x + 1)
        for y in range(cy - span_y, cy + span_y + 1)
        for piece in grid.get((x, y), ())
    ]


def faces(directions: list[int], bearing: float, two_way: bool) -> bool:
    """Whether a camera with these directions faces traffic travelling on `bearing`."""
    for direction in directions:
        if angle_between(direction, bearing) <= Limits.FACING_DEGREES:
            return True
        if two_way and angle_between(direction, (bearing + 180) % 360) <= Limits.FACING_DEGREES:
            return True
    return False


def _candidate_margin_degrees(lines: list[Line], buffer_m: float) -> float:
    """A planar buffer in degrees that holds every point within buffer_m of the route: a degree of
    longitude is shortest at the route's highest latitude."""
    highest = min(max(abs(lat) for line in lines for _lon, lat in line), 85.0)
    return 1.01 * (buffer_m + 1) / (METRES_PER_DEGREE * math.cos(math.radians(highest)))


# The corridor's round ends and bends: segments per quarter circle (a chord misses 0.03 % of the buffer).
CORRIDOR_QUAD_SEGMENTS = 32
# Consecutive pieces buffered together (at most 12.8 km of route: one local projection still fits it).
CORRIDOR_CHAIN_PIECES = 64


def _chains(lines: list[Line]) -> list[str]:
    """The route's pieces, CORRIDOR_CHAIN_PIECES consecutive ones at a time, as GeoJSON lines."""
    chains = []
    for line in lines:
        pieces = _pieces([line])
        for first in range(0, len(pieces), CORRIDOR_CHAIN_PIECES):
            chain = pieces[first : first + CORRIDOR_CHAIN_PIECES]
            points = [[chain[0].lon0, chain[0].lat0]] + [[piece.lon1, piece.lat1] for piece in chain]
            chains.append(json.dumps({"type": "LineString", "coordinates": points}))
    return chains


def keep_corridor(lines: list[Line], buffer_m: int) -> str:
    """Keep the route's corridor, the points within buffer_m of it, as a drawn area (webapp.opendata.
    drawn_areas); its hash, so the `area=` selection downloads the cameras the route answer counts. Built from
    the same pieces of at most PIECE_MAX_M as the count, buffered on the spheroid a chain at a time in a local
    projection, so the corridor's edge and the count's tangent-plane distance agree to a few centimetres at
    the largest buffer (docs/data.md). Bounded as the route answer is. The caller commits."""
    _checked_length_m(lines)
    corridor = db.session.scalar(
        text(
            """
            SELECT ST_AsGeoJSON(ST_Multi(ST_Union(ST_Buffer(
                ST_SetSRID(ST_GeomFromGeoJSON(chain), 4326)::geography, :buffer_m, :style)::geometry)))
            FROM unnest(CAST(:chains AS text[])) AS chain
            """
        ),
        {"buffer_m": buffer_m, "style": f"quad_segs={CORRIDOR_QUAD_SEGMENTS}", "chains": _chains(lines)},
    )
    return keep_area(corridor)


def _checked_length_m(lines: list[Line]) -> float:
    """The route's length in metres; InvalidGeometry past ROUTE_MAX_KM or under a metre."""
    length_m = sum(haversine_m(a, b) for line in lines for a, b in zip(line, line[1:], strict=False))
    if length_m > Limits.ROUTE_MAX_KM * 1000:
        raise InvalidGeometry(
            _(
                "The route is %(km).0f km long; at most %(limit)d km are accepted. Split it.",
                km=length_m / 1000,
                limit=Limits.ROUTE_MAX_KM,
            )
        )
    if length_m < 1:
        raise InvalidGeometry(_("The route is shorter than a metre: a route needs two different points."))
    return length_m


def route_exposure(lines: list[Line], buffer_m: int, two_way: bool, top: int) -> dict:
    length_m = _checked_length_m(lines)
    shape = json.dumps({"type": "MultiLineString", "coordinates": lines})
    candidates = citable_cameras_near_line(
        shape, _candidate_margin_degrees(lines, buffer_m), MAX_CANDIDATES + 1
    )
    if len(candidates) > MAX_CANDIDATES:
        raise InvalidGeometry(
            _(
                "More than %(limit)d cameras near this route: split it into shorter parts.",
                limit=MAX_CANDIDATES,
            )
        )
    grid = _grid(_pieces(lines))
    reach = PIECE_MAX_M / 2 + buffer_m
    features, along = [], []
    facing = unknown = 0
    for camera in candidates:
        near = [
            (distance, piece)
            for piece in _pieces_near(grid, camera["lon"], camera["lat"], reach)
            if (distance := _distance_m(camera["lon"], camera["lat"], piece)) <= buffer_m
        ]
        if not near:
            continue
        directions = list(camera["directions"] or [])
        if directions:
            faced = any(faces(directions, piece.bearing, two_way) for _distance, piece in near)
            facing += faced
        else:
            faced = None
            unknown += 1
        along.append(camera)
        features.append(camera_feature(camera, facing=faced, distance_m=round(min(d for d, _p in near), 1)))
    km = length_m / 1000
    return {
        # The route as read (an uploaded file's too), so a map can draw it and zoom to it.
        "route": {"type": "MultiLineString", "coordinates": lines},
        "length_km": round(km, 3),
        "buffer_m": buffer_m,
        "two_way": two_way,
        "cameras": len(along),
        "facing": facing,
        "not_facing": len(along) - facing - unknown,
        "direction_unknown": unknown,
        "imported": sum(1 for camera in along if camera["source"] == CameraSource.OSM),
        "reported": sum(1 for camera in along if camera["source"] == CameraSource.REPORT),
        "cameras_per_km": round(len(along) / km, 4),
        "reads_per_km": round(facing / km, 4),
        "reads_per_km_upper": round((facing + unknown) / km, 4),
        "vendors": vendor_breakdown([(camera["vendor"], 1) for camera in along], top),
        "operators": operator_breakdown([(camera["operator"], 1) for camera in along], top),
        "features": feature_collection(features),
    }
