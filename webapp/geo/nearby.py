"""Verified cameras near a point: the duplicate candidates shown while a camera is being reported, and
the ones moderators compare a sighting with."""

import math
from dataclasses import dataclass

from geoalchemy2 import Geography
from sqlalchemy import cast, func, select

from webapp.kernel.data.models import Camera
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraStatus, Limits


@dataclass(frozen=True)
class NearbyCamera:
    id: int
    lon: float
    lat: float
    distance_m: float
    vendor: str
    directions: list[int]
    # The OpenStreetMap element of an imported camera (moderators see it; the public JSON leaves it out).
    osm_type: str | None = None
    osm_id: int | None = None

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "lon": round(self.lon, Limits.COORDINATE_DIGITS),
            "lat": round(self.lat, Limits.COORDINATE_DIGITS),
            "distance_m": round(self.distance_m, 1),
            "vendor": self.vendor,
            "directions": list(self.directions),
        }


def cameras_near(lon: float, lat: float, radius_m: float, limit: int = 20) -> list[NearbyCamera]:
    """Verified cameras within `radius_m` metres of (lon, lat), nearest first."""
    return [
        NearbyCamera(
            id=row.id,
            lon=row.lon,
            lat=row.lat,
            distance_m=row.distance_m,
            vendor=row.vendor,
            directions=list(row.directions or []),
            osm_type=row.osm_type,
            osm_id=row.osm_id,
        )
        for row in db.session.execute(nearby_query(lon, lat, radius_m, limit))
    ]


def nearby_query(lon: float, lat: float, radius_m: float, limit: int):
    """The SELECT behind cameras_near().

    Distances are on the spheroid (geography ST_DWithin / ST_Distance). The index on cameras.geom is a
    geometry index, which a geography predicate cannot use, so a degree box that surely contains the circle
    is tested first with `&&`: that is what the GiST index answers. Hidden and removed cameras are never
    offered: they are not public.
    """
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    here = cast(point, Geography)
    camera_position = cast(Camera.geom, Geography)
    search_box = func.ST_Expand(point, *_degree_margins(lat, radius_m))
    distance = func.ST_Distance(camera_position, here).label("distance_m")
    query = (
        select(
            Camera.id,
            func.ST_X(Camera.geom).label("lon"),
            func.ST_Y(Camera.geom).label("lat"),
            distance,
            Camera.vendor,
            Camera.directions,
            Camera.osm_type,
            Camera.osm_id,
        )
        .where(
            Camera.status == CameraStatus.VERIFIED,
            Camera.geom.op("&&")(search_box),
            func.ST_DWithin(camera_position, here, radius_m),
        )
        .order_by(distance, Camera.id)
        .limit(limit)
    )
    return query


# A degree of latitude is at least 110.5 km anywhere on the spheroid; rounding down keeps the box generous.
_METRES_PER_DEGREE_LAT = 110_000


def _degree_margins(lat: float, radius_m: float) -> tuple[float, float]:
    """(dx, dy) in degrees such that the box lon +- dx, lat +- dy contains every point within radius_m."""
    dy = radius_m / _METRES_PER_DEGREE_LAT
    # Near the poles a metre spans many degrees of longitude: past 89 degrees take the whole circle.
    cos_lat = math.cos(math.radians(min(abs(lat) + dy, 90.0)))
    dx = 360.0 if cos_lat < 0.02 else min(dy / cos_lat, 360.0)
    return dx, dy
