"""A release's datapackage.json (Frictionless Data Package v2): every file with its path, format, media type,
byte size and `sha256:` hash, a table schema for every CSV, the licences, sources and credits."""

import hashlib
import json
from datetime import date
from pathlib import Path

from webapp.kernel.csv_cells import csv_row_reader
from webapp.opendata.licence import LICENCE, LICENCE_URL, OSM_ATTRIBUTION, REPORT_ATTRIBUTION
from webapp.releases.contents import ReleaseFile

PUBLISHER = "Sightline"
LICENCES = [
    {"name": LICENCE, "path": LICENCE_URL, "title": "Open Data Commons Open Database License 1.0"},
]
SOURCES = [
    {"title": f"OpenStreetMap: {OSM_ATTRIBUTION}", "path": "https://www.openstreetmap.org/copyright"},
    {"title": f"Reports verified by Sightline's moderators ({REPORT_ATTRIBUTION})"},
    {
        "title": "US Census Bureau cartographic boundaries, population and road miles (public domain), "
        "for the coverage figures' denominators"
    },
    {
        "title": 'The News & Observer, "Private Eyes" (2024): agencies and their sharing relations from '
        'Flock Safety transparency portals (MIT licence; credit "The News & Observer")',
        "path": "https://github.com/mcclatchy-southeast/private_eyes",
    },
]
INTEGER_COLUMNS = {
    "id", "camera_id", "confirmations", "osm_id", "cameras", "imported", "reported", "population",
    "from_agency_id", "to_agency_id", "log_id", "owner_agency_id", "searches", "multi_network",
    "rule_version",
}  # fmt: skip
NUMBER_COLUMNS = {"lat", "lon", "road_miles", "area_km2"}


def _field(name: str) -> dict:
    if name in INTEGER_COLUMNS:
        return {"name": name, "type": "integer"}
    if name in NUMBER_COLUMNS:
        return {"name": name, "type": "number"}
    return {"name": name, "type": "string"}


def _csv_schema(path: Path) -> dict:
    with open(path, encoding="utf-8", newline="") as handle:
        header = next(csv_row_reader(handle))
    return {"fields": [_field(name) for name in header]}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _resource(folder: Path, release_file: ReleaseFile) -> dict:
    path = folder / release_file.file_name
    resource = {
        "name": release_file.name,
        "path": release_file.file_name,
        "title": release_file.title,
        "format": release_file.format,
        "mediatype": release_file.mediatype,
        "encoding": "utf-8",
        "bytes": path.stat().st_size,
        "hash": f"sha256:{_sha256(path)}",
    }
    if release_file.format == "csv":
        resource["type"] = "table"
        resource["schema"] = _csv_schema(path)
    else:
        resource["type"] = "file"
        del resource["encoding"]
    return resource


def datapackage(folder: Path, number: int, released_on: date, files: list[ReleaseFile]) -> dict:
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"sightline-release-{number}",
        "title": f"Sightline: ALPR cameras, coverage and agencies, release {number}",
        "version": str(number),
        # Frictionless wants a date-time; a release has a day, never a time.
        "created": f"{released_on.isoformat()}T00:00:00Z",
        "licenses": LICENCES,
        "sources": SOURCES,
        "contributors": [
            {"title": "Sightline contributors", "roles": ["author"]},
            {"title": PUBLISHER, "roles": ["publisher"]},
        ],
        "resources": [_resource(folder, release_file) for release_file in files],
    }


def write_datapackage(
    folder: Path, number: int, released_on: date, files: list[ReleaseFile]
) -> tuple[str, int]:
    """Write datapackage.json into the release's folder; its (sha256, bytes)."""
    body = json.dumps(datapackage(folder, number, released_on, files), indent=2, ensure_ascii=False).encode()
    (folder / "datapackage.json").write_bytes(body)
    return hashlib.sha256(body).hexdigest(), len(body)
