"""Synthetic demo data: cameras for load tests (`flask cameras seed-demo`), deterministic (same count and
seed, same cameras), clustered around US metro areas along a few arterial corridors each, with the vendor mix
of the real OSM data; and the few pending demo reports `make run` seeds so a newcomer can try the review
queue (`flask cameras seed-demo-reports`).

Needs nothing outside the repository. Every demo camera and report is marked `demo` in the database (exports
and figures leave them out, and a verified demo report becomes a demo camera) and its operator says "(demo
data)", so a screenshot of a development instance can never pass for a real survey.
"""

import math
import random
import secrets
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import text

from webapp.camera_fields.rules import CameraFields, camera_fields
from webapp.kernel.data.models import Sighting
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraSource, CameraStatus

DEFAULT_COUNT = 3000
DEFAULT_SEED = 1
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Metro:
    city: str
    state: str
    lat: float
    lon: float
    weight: float  # roughly the metro population in millions: more people, more cameras
    radius_km: float
    # Bearings (clockwise from `land_from` to `land_to`) where there is land: keeps cameras out of the
    # ocean or a great lake. (0, 360) means all round.
    land_from: int = 0
    land_to: int = 360


METROS: tuple[Metro, ...] = (
    Metro("New York", "NY", 40.7128, -74.0060, 19.5, 35, 200, 80),
    Metro("Los Angeles", "CA", 34.0522, -118.2437, 12.8, 40, 300, 180),
    Metro("Chicago", "IL", 41.8781, -87.6298, 9.4, 35, 170, 360),
    Metro("Dallas", "TX", 32.7767, -96.7970, 7.9, 40),
    Metro("Houston", "TX", 29.7604, -95.3698, 7.3, 40),
    Metro("Atlanta", "GA", 33.7490, -84.3880, 6.2, 45),
    Metro("Washington", "DC", 38.9072, -77.0369, 6.3, 30),
    Metro("Philadelphia", "PA", 39.9526, -75.1652, 6.2, 30),
    Metro("Miami", "FL", 25.7617, -80.1918, 6.1, 30, 180, 10),
    Metro("Phoenix", "AZ", 33.4484, -112.0740, 5.0, 40),
    Metro("Boston", "MA", 42.3601, -71.0589, 4.9, 30, 180, 20),
    Metro("Riverside", "CA", 33.9806, -117.3755, 4.6, 40),
    Metro("San Jose", "CA", 37.3382, -121.8863, 4.7, 25),
    Metro("Detroit", "MI", 42.3314, -83.0458, 4.3, 30, 200, 60),
    Metro("Seattle", "WA", 47.6062, -122.3321, 4.0, 25, 340, 200),
    Metro("Minneapolis", "MN", 44.9778, -93.2650, 3.7, 35),
    Metro("San Diego", "CA", 32.7157, -117.1611, 3.3, 25, 330, 150),
    Metro("Tampa", "FL", 27.9506, -82.4572, 3.2, 30, 330, 150),
    Metro("Denver", "CO", 39.7392, -104.9903, 3.0, 35),
    Metro("Baltimore", "MD", 39.2904, -76.6122, 2.8, 25, 200, 60),
    Metro("St. Louis", "MO", 38.6270, -90.1994, 2.8, 30),
    Metro("Orlando", "FL", 28.5384, -81.3789, 2.7, 30),
    Metro("Charlotte", "NC", 35.2271, -80.8431, 2.7, 35),
    Metro("San Antonio", "TX", 29.4241, -98.4936, 2.6, 30),
    Metro("Portland", "OR", 45.5152, -122.6784, 2.5, 25),
    Metro("Sacramento", "CA", 38.5816, -121.4944, 2.4, 25),
    Metro("Pittsburgh", "PA", 40.4406, -79.9959, 2.4, 25),
    Metro("Austin", "TX", 30.2672, -97.7431, 2.4, 30),
    Metro("Las Vegas", "NV", 36.1699, -115.1398, 2.3, 20),
    Metro("Cincinnati", "OH", 39.1031, -84.5120, 2.3, 25),
    Metro("Kansas City", "MO", 39.0997, -94.5786, 2.2, 30),
    Metro("Columbus", "OH", 39.9612, -82.9988, 2.1, 25),
    Metro("Indianapolis", "IN", 39.7684, -86.1581, 2.1, 30),
    Metro("Cleveland", "OH", 41.4993, -81.6944, 2.1, 25, 70, 290),
    Metro("Nashville", "TN", 36.1627, -86.7816, 2.0, 30),
    Metro("Jacksonville", "FL", 30.3322, -81.6557, 1.7, 30, 180, 20),
    Metro("Milwaukee", "WI", 43.0389, -87.9065, 1.6, 25, 170, 360),
    Metro("Raleigh", "NC", 35.7796, -78.6382, 1.5, 25),
    Metro("Oklahoma City", "OK", 35.4676, -97.5164, 1.4, 25),
    Metro("Memphis", "TN", 35.1495, -90.0490, 1.3, 25),
    Metro("Louisville", "KY", 38.2527, -85.7585, 1.3, 25),
    Metro("Richmond", "VA", 37.5407, -77.4360, 1.3, 25),
    Metro("New Orleans", "LA", 29.9511, -90.0715, 1.3, 12),
    Metro("Salt Lake City", "UT", 40.7608, -111.8910, 1.3, 25),
    Metro("Birmingham", "AL", 33.5186, -86.8104, 1.1, 25),
    Metro("Omaha", "NE", 41.2565, -95.9345, 1.0, 20),
    Metro("Tucson", "AZ", 32.2226, -110.9747, 1.0, 20),
    Metro("Albuquerque", "NM", 35.0844, -106.6504, 0.9, 20),
    Metro("Greenville", "SC", 34.8526, -82.3940, 0.9, 20),
    Metro("Boise", "ID", 43.6150, -116.2023, 0.8, 20),
)

# Shares of the vendors in the 61,768 US ALPRs mapped in OpenStreetMap (DeFlock, 2026), rounded.
VENDOR_MIX: tuple[tuple[str, float], ...] = (
    ("flock-safety", 0.812),
    ("unknown", 0.081),
    ("motorola-vigilant", 0.047),
    ("genetec", 0.019),
    ("leonardo-elsag", 0.0075),
    ("ubicquia", 0.007),
    ("rekor", 0.005),
    ("ekin", 0.0043),
    ("neology", 0.0038),
    ("axis", 0.0027),
    ("avigilon", 0.0016),
    ("insight-lpr", 0.001),
    ("kapsch", 0.0009),
    ("liveview", 0.0008),
    ("verkada", 0.0006),
)
MOUNT_MIX: tuple[tuple[str | None, float], ...] = (
    ("pole", 0.62),
    (None, 0.20),
    ("traffic_signal", 0.10),
    ("building", 0.04),
    ("overpass", 0.02),
    ("other", 0.02),
)
CORRIDORS_PER_METRO = 8
# Months the demo's "first reported" dates fall in (fixed, so the output never depends on today).
FIRST_MONTH = date(2021, 1, 1)
LAST_MONTH = date(2026, 6, 1)


@dataclass(frozen=True, kw_only=True)
class DemoCamera(CameraFields):
    """A synthetic camera: its checked fields and the months and confirmations of its made-up history."""

    first_reported_month: date
    last_confirmed_month: date
    confirmations: int


def generate_demo_cameras(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> list[DemoCamera]:
    """`count` synthetic cameras; the same arguments always give the same cameras."""
    rng = random.Random(seed)
    corridors = {metro.city: _corridor_bearings(rng, metro) for metro in METROS}
    weights = [metro.weight for metro in METROS]
    vendors, vendor_weights = zip(*VENDOR_MIX, strict=True)
    mounts, mount_weights = zip(*MOUNT_MIX, strict=True)
    months = _month_count(FIRST_MONTH, LAST_MONTH)
    cameras = []
    for metro in rng.choices(METROS, weights=weights, k=count):
        lon, lat = _position(rng, metro, corridors[metro.city])
        first = rng.randrange(months)
        last = first + min(months - 1 - first, int(rng.expovariate(1 / 6)))
        # Drawn in this order, always: the same seed must keep giving the same cameras.
        vendor = rng.choices(vendors, weights=vendor_weights)[0]
        mount = rng.choices(mounts, weights=mount_weights)[0]
        directions = list(_directions(rng))
        operator = _operator(rng, metro)
        # The same rules as every other way in: a seed that drifted from them would fail here, not later.
        fields = camera_fields(
            round(lon, 6), round(lat, 6), directions, vendor, mount, operator, vendor_in_free_text=False
        )
        cameras.append(
            DemoCamera(
                **asdict(fields),
                first_reported_month=_add_months(FIRST_MONTH, first),
                last_confirmed_month=_add_months(FIRST_MONTH, last),
                confirmations=1 + min(9, int(rng.expovariate(0.8))),
            )
        )
    return cameras


def _corridor_bearings(rng: random.Random, metro: Metro) -> list[float]:
    return [_land_bearing(rng, metro) for _ in range(CORRIDORS_PER_METRO)]


def _land_bearing(rng: random.Random, metro: Metro) -> float:
    sweep = (metro.land_to - metro.land_from) % 360 or 360
    return (metro.land_from + rng.random() * sweep) % 360


def _position(rng: random.Random, metro: Metro, corridors: list[float]) -> tuple[float, float]:
    """Most cameras stand along arterial roads leading out of town, thinning with distance; some are
    scattered through the suburbs in between."""
    distance = min(metro.radius_km * 1.5, rng.expovariate(2.5 / metro.radius_km))
    if rng.random() < 0.7:
        bearing = rng.choice(corridors)
        sideways = rng.gauss(0, 0.4)  # km off the corridor's centre line
    else:
        bearing = _land_bearing(rng, metro)
        sideways = 0.0
    radians = math.radians(bearing)
    north = distance * math.cos(radians) - sideways * math.sin(radians)
    east = distance * math.sin(radians) + sideways * math.cos(radians)
    lat = metro.lat + north / KM_PER_DEGREE
    lon = metro.lon + east / (KM_PER_DEGREE * math.cos(math.radians(metro.lat)))
    return lon, lat


def _directions(rng: random.Random) -> tuple[int, ...]:
    draw = rng.random()
    if draw < 0.05:
        return ()
    bearing = rng.randrange(0, 360, 5)
    if draw < 0.85:
        return (bearing,)
    return (bearing, (bearing + 180) % 360)  # a pair watching both lanes


def _operator(rng: random.Random, metro: Metro) -> str | None:
    draw = rng.random()
    if draw < 0.35:
        return None
    if draw < 0.80:
        return f"{metro.city} Police Department (demo data)"
    if draw < 0.92:
        return f"{metro.city} County Sheriff (demo data)"
    return f"{metro.state} Department of Transportation (demo data)"


def _month_count(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


INSERT_SQL = text(
    """
    INSERT INTO cameras (geom, status, vendor, mount, directions, operator, source, first_reported_month,
                         last_confirmed_month, confirmations, demo)
    SELECT ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), :verified, r.vendor, r.mount,
           CAST(r.directions AS smallint[]), r.operator, :report, r.first_seen, r.last_confirmed,
           r.confirmations, true
    FROM unnest(
        CAST(:lons AS double precision[]), CAST(:lats AS double precision[]), CAST(:vendors AS text[]),
        CAST(:mounts AS text[]), CAST(:directions AS text[]), CAST(:operators AS text[]),
        CAST(:first_seen AS date[]), CAST(:last_confirmed AS date[]), CAST(:confirmations AS integer[])
    ) AS r(lon, lat, vendor, mount, directions, operator, first_seen, last_confirmed, confirmations)
    """
)


def any_cameras() -> bool:
    return db.session.execute(text("SELECT EXISTS (SELECT 1 FROM cameras)")).scalar_one()


def seed_demo_cameras(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> int:
    """Insert `count` demo cameras in the current transaction (one statement); the caller commits."""
    cameras = generate_demo_cameras(count, seed)
    if not cameras:
        return 0
    db.session.execute(
        INSERT_SQL,
        {
            "verified": CameraStatus.VERIFIED.value,
            "report": CameraSource.REPORT.value,
            "lons": [camera.lon for camera in cameras],
            "lats": [camera.lat for camera in cameras],
            "vendors": [camera.vendor for camera in cameras],
            "mounts": [camera.mount for camera in cameras],
            "directions": ["{" + ",".join(map(str, camera.directions)) + "}" for camera in cameras],
            "operators": [camera.operator for camera in cameras],
            "first_seen": [camera.first_reported_month for camera in cameras],
            "last_confirmed": [camera.last_confirmed_month for camera in cameras],
            "confirmations": [camera.confirmations for camera in cameras],
        },
    )
    return len(cameras)


DEMO_REPORTS = 4
# The first demo report is reported twice, a few metres apart: the queue shows them as one group.
SECOND_REPORT_OFFSET_DEGREES = 0.00004
DEMO_REPORT_NOTE = "Demo report (make run): verify, correct or reject it to try the review queue."


def any_demo_reports() -> bool:
    return db.session.execute(text("SELECT EXISTS (SELECT 1 FROM sightings WHERE demo)")).scalar_one()


def seed_demo_reports(count: int = DEMO_REPORTS, seed: int = DEFAULT_SEED) -> int:
    """Add `count` pending demo reports (plus a second report of the first one) in the current transaction;
    the caller commits. Their receipts are random hashes of no secret anyone holds: nobody follows them."""
    cameras = generate_demo_cameras(count, seed)
    positions = [(camera.lon, camera.lat, camera) for camera in cameras]
    if cameras:
        first = cameras[0]
        positions.append((first.lon + SECOND_REPORT_OFFSET_DEGREES, first.lat, first))
    for lon, lat, camera in positions:
        db.session.add(
            Sighting(
                geom=f"SRID=4326;POINT({lon:.6f} {lat:.6f})",
                vendor=camera.vendor,
                mount=camera.mount,
                directions=list(camera.directions),
                operator=camera.operator or "Demo Police Department (demo data)",
                notes=DEMO_REPORT_NOTE,
                receipt_hash=secrets.token_hex(32),
                demo=True,
            )
        )
    db.session.flush()
    return len(positions)
