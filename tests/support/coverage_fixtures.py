"""Hand-made areas and cameras for the coverage tests: a state "98" of four square counties side by side (one
degree each, from longitude -100 to -96, latitude 40 to 41), written as a real boundary file and imported with
the real importer, and cameras placed so that every figure can be worked out by hand.

| county | population | road miles | verified cameras (not demo) |
| --- | --- | --- | --- |
| 98001 Square County | 20,000 | 500 | 3: A, B, C (below) |
| 98003 Second County | 10,000 | 100 | 1 |
| 98005 Third County | 50,000 | 250 | 0 |
| 98007 Tiny County | 100 (below the floor) | 10 | 1 |

In Square County: A is flock-safety, operator "Sheriff", reported; B flock-safety, "Sheriff", imported from
OpenStreetMap; C motorola-vigilant, no operator, reported. Square County also holds a demo camera and a
hidden one, which must never count. The route along latitude
ROUTE_LAT passes A (facing east, the direction of travel), B (facing west, the reverse) and C (facing south,
across the road) within 75 m, and D (100 m north) outside (tests add D themselves).
"""

import gzip
import json
from pathlib import Path

from sqlalchemy import text

from tests.factories import make_camera
from webapp.areas.importer import import_boundary_files
from webapp.kernel.extensions import db

STATE = "98"
SQUARE, SECOND, THIRD, TINY = "98001", "98003", "98005", "98007"
COUNTIES = {
    SQUARE: ("Square County, Testland", -100, 20_000, 500.0),
    SECOND: ("Second County, Testland", -99, 10_000, 100.0),
    THIRD: ("Third County, Testland", -98, 50_000, 250.0),
    TINY: ("Tiny County, Testland", -97, 100, 10.0),
}
ROUTE_LAT = 40.5005
ROUTE = [(-99.6, ROUTE_LAT), (-99.4, ROUTE_LAT)]


def rectangle(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def square(west: float) -> dict:
    """A one-degree county from `west`, latitude 40 to 41."""
    return rectangle(west, 40.0, west + 1, 41.0)


def boundary_file(path: Path, features: list[dict]) -> Path:
    document = {"type": "FeatureCollection", "features": features}
    path.write_bytes(gzip.compress(json.dumps(document).encode()))
    return path


def write_boundaries(folder: Path) -> tuple[Path, Path]:
    state = boundary_file(
        folder / "test-states.geojson.gz",
        [
            {
                "type": "Feature",
                "properties": {
                    "GEOID": STATE,
                    "name": "Testland",
                    "population": 80_100,
                    "roadMiles": 860.0,
                    "cameraCount": 999,
                    "rankPerCapita": 1,
                },
                "geometry": rectangle(-100, 40, -96, 41),
            }
        ],
    )
    counties = boundary_file(
        folder / "test-counties.geojson.gz",
        [
            {
                "type": "Feature",
                "properties": {
                    "GEOID": geoid,
                    "name": name,
                    "population": population,
                    "roadMiles": miles,
                    "cameraCount": 12345,
                    "camerasPerCapita": 99.0,
                },
                "geometry": square(west),
            }
            for geoid, (name, west, population, miles) in COUNTIES.items()
        ],
    )
    return state, counties


def load_testland(folder: Path):
    state, counties = write_boundaries(folder)
    return import_boundary_files([state, counties], source="Test boundaries (made in the test)")


def place_cameras() -> dict:
    cameras = {
        "A": make_camera(-99.5, 40.5, vendor="flock-safety", operator="Sheriff", directions=[90]),
        "B": make_camera(
            -99.45,
            40.5008,
            vendor="flock-safety",
            operator="Sheriff",
            directions=[270],
            source="osm",
            osm_type="node",
            osm_id=424242,
            first_reported_month=None,
            last_confirmed_month=None,
        ),
        "C": make_camera(-99.55, 40.5, vendor="motorola-vigilant", operator=None, directions=[180]),
        "second": make_camera(-98.5, 40.5, vendor="genetec"),
        "tiny": make_camera(-96.5, 40.5, vendor="flock-safety"),
        "demo": make_camera(-99.2, 40.2, demo=True),
        "hidden": make_camera(-99.3, 40.3, status="hidden"),
    }
    return cameras


def add_county_row(geoid: str, name: str, state_geoid: str, box=(-122.3, 37.4, -121.5, 37.9)) -> None:
    """One county's row of `areas` (a real state's, named as the Census files name it: "Alameda County,
    California"), with a rectangle for its boundary and no pieces: enough to find the county by its name."""
    shape = "ST_Multi(ST_MakeEnvelope(:west, :south, :east, :north, 4326))"
    db.session.execute(
        text(
            "INSERT INTO areas (geoid, kind, name, state_geoid, area_km2, geom, geom_simplified, source, "  # noqa: S608 (a test's own constants)
            f"dataset) VALUES (:geoid, 'county', :name, :state, 1, {shape}, {shape}, 'test', 'test')"
        ),
        dict(
            zip(("west", "south", "east", "north"), box, strict=True),
            geoid=geoid,
            name=name,
            state=state_geoid,
        ),
    )
