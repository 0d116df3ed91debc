"""Build webapp/areas/builtin_states.geojson.gz, the small set of US states `flask areas import` loads when
no path is given, from data/us-states-metrics.geojson.gz.

    .venv/bin/python scripts/build_builtin_areas.py

Each state keeps GEOID, name, population and roadMiles; the other project's camera counts, ranks and
per-capita figures in the shared file are dropped. Boundaries (US Census Bureau cartographic boundaries,
public domain) are simplified to about 500 m and rounded to 3 decimals (about 100 m), which keeps the file
under 100 KB; cameras within about a kilometre of a state line may be counted in the neighbouring state
until the full boundaries are imported.
"""

import gzip
import json
import sys
from pathlib import Path

from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "us-states-metrics.geojson.gz"
TARGET = ROOT / "webapp" / "areas" / "builtin_states.geojson.gz"
TOLERANCE_DEGREES = 0.005
DIGITS = 3
KEPT = ("GEOID", "name", "population", "roadMiles")


def _rounded(coordinates):
    if isinstance(coordinates[0], int | float):
        return [round(coordinates[0], DIGITS), round(coordinates[1], DIGITS)]
    return [_rounded(part) for part in coordinates]


def main() -> int:
    if not SOURCE.exists():
        print(f"needs {SOURCE}", file=sys.stderr)
        return 1
    document = json.loads(gzip.decompress(SOURCE.read_bytes()))
    features = []
    for feature in sorted(document["features"], key=lambda item: item["properties"]["GEOID"]):
        simplified = shape(feature["geometry"]).simplify(TOLERANCE_DEGREES, preserve_topology=True)
        geometry = mapping(simplified)
        features.append(
            {
                "type": "Feature",
                "properties": {name: feature["properties"][name] for name in KEPT},
                "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])},
            }
        )
    collection = {
        "type": "FeatureCollection",
        "attribution": "Boundaries: US Census Bureau cartographic boundaries (public domain), simplified",
        "features": features,
    }
    data = json.dumps(collection, separators=(",", ":")).encode()
    # mtime=0: the same input gives the same bytes.
    TARGET.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{TARGET.relative_to(ROOT)}: {len(features)} states, {TARGET.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
