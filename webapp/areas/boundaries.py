"""Reading boundary files: a GeoJSON FeatureCollection (gzipped or not) of US states or counties, one feature
per area with `GEOID`, `name`, `population` and `roadMiles`, as in ../shared/data/us-*-metrics.geojson.gz and
the built-in set.

Only those properties are read. The shared files also carry another project's camera counts, ranks and
per-capita figures (`cameraCount`, `rank*`, `percentile*`, `camerasPer*`): those are never read, because every
figure Sightline shows is computed from its own cameras.
"""

import gzip
import json
import math
import zlib
from dataclasses import dataclass
from pathlib import Path

from webapp.kernel.vocabulary import AreaKind

GZIP_MAGIC = b"\x1f\x8b"


class BadBoundaryFile(ValueError):
    """The file is not a boundary file we read; nothing was written."""


@dataclass(frozen=True)
class AreaRecord:
    geoid: str
    kind: AreaKind
    name: str
    state_geoid: str
    population: int | None
    road_miles: float | None
    geometry: dict


def read_boundary_file(path: Path) -> list[AreaRecord]:
    """The areas of one file, in file order; BadBoundaryFile saying what is wrong otherwise."""
    data = Path(path).read_bytes()
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise BadBoundaryFile(f"{path} is a damaged gzip file ({error})") from error
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise BadBoundaryFile(f"{path} is not JSON: expected a GeoJSON FeatureCollection") from error
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        raise BadBoundaryFile(f"{path} is not a GeoJSON FeatureCollection with features")
    records = [_record(path, index, feature) for index, feature in enumerate(features)]
    geoids = [record.geoid for record in records]
    if len(set(geoids)) != len(geoids):
        raise BadBoundaryFile(f"{path} has the same GEOID twice")
    return records


def _record(path: Path, index: int, feature: object) -> AreaRecord:
    where = f"{path}, feature {index}"
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise BadBoundaryFile(f"{where}: not a GeoJSON feature with properties")
    properties = feature["properties"]
    geoid = str(properties.get("GEOID", "")).strip()
    if not geoid.isascii() or not geoid.isdigit() or len(geoid) not in (2, 5):
        raise BadBoundaryFile(f"{where}: GEOID must be 2 (state) or 5 (county) digits, not {geoid!r}")
    name = properties.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise BadBoundaryFile(f"{where}: no name")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise BadBoundaryFile(f"{where}: the geometry must be a Polygon or MultiPolygon")
    return AreaRecord(
        geoid=geoid,
        kind=AreaKind.STATE if len(geoid) == 2 else AreaKind.COUNTY,
        name=name.strip(),
        state_geoid=geoid[:2],
        population=_whole(properties.get("population"), f"{where}: population"),
        road_miles=_amount(properties.get("roadMiles"), f"{where}: roadMiles"),
        geometry=geometry,
    )


def _amount(value: object, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise BadBoundaryFile(f"{what} must be a number of at least 0, not {value!r}")
    return float(value)


def _whole(value: object, what: str) -> int | None:
    amount = _amount(value, what)
    return None if amount is None else int(round(amount))
