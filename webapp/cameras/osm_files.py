"""Reading OpenStreetMap camera files: an Overpass API JSON file or DeFlock's JSON array (gzipped or not, told
apart by content). OSM's tags are read into our vocabulary (webapp.cameras.osm_tags), then checked by the
camera-field rules every source shares; records that cannot be cameras are skipped and counted by reason.
"""

import gzip
import json
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l

from webapp.camera_fields import rules
from webapp.cameras.osm_tags import read_osm_directions, read_osm_mount, read_osm_start_date
from webapp.kernel.errors import InvalidField
from webapp.kernel.vocabulary import OSM_TYPES, Limits

GZIP_MAGIC = b"\x1f\x8b"

OVERPASS = "Overpass JSON"
CAMERA_ARRAY = "camera array"

# Why a record was skipped, in the order the summary lists them.
SKIP_REASONS = {
    "not_alpr": _l("not tagged surveillance:type=ALPR"),
    "malformed": _l("not an object"),
    "bad_osm_key": _l("no valid OSM type and id"),
    "no_coordinates": _l("no coordinates"),
    "out_of_range": _l("coordinates out of range"),
    "duplicate": _l("same OSM object again in the file (the last one counts)"),
}

# Tags in the order they are tried; the first one present wins.
VENDOR_TAGS = (
    "manufacturer",
    "brand",
    "surveillance:brand",
    "manufacturer:wikidata",
    "brand:wikidata",
)
DIRECTION_TAGS = ("camera:direction", "direction")


class UnknownFileFormat(ValueError):
    """The file is neither of the formats we read; nothing was written."""


@dataclass(frozen=True, kw_only=True)
class CameraRecord(rules.CameraFields):
    """A camera of the file: its checked fields and its OSM identity, what the round trip back to OSM
    needs (the element's version and raw tags: Overpass `out meta`, DeFlock's array has neither; the
    bearings in the mapper's order, as `directions` is sorted as every camera's), and OSM's start_date as
    tagged with the month it names (None when it names none)."""

    osm_type: str
    osm_id: int
    osm_version: int | None = None
    osm_tags: dict | None = None
    mapper_directions: tuple[int, ...] = ()
    start_date: str | None = None
    started_month: date | None = None


@dataclass(frozen=True)
class CameraFile:
    """A camera file as read: its format, its raw records, the date of its data when it says (Overpass's
    `osm3s.timestamp_osm_base`), and why it is known to be partial (Overpass reports a timeout or an
    out-of-memory error in `remark` and returns what it had)."""

    file_format: str
    items: list
    data_date: datetime | None = None
    partial_because: str | None = None


@dataclass
class ImportSummary:
    file_format: str
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    # Cameras imported without (part of) their direction, which could not be read.
    directions_not_understood: int = 0
    # The round trip (webapp.cameras.osm_reconcile): moderated fields OSM changed (cameras listed as
    # differing), moderated fields OSM now agrees with, cameras gone from a complete file, reported cameras
    # recognised as uploaded from our export, and links proposed for a moderator.
    differs: int = 0
    agreed: int = 0
    gone: int = 0
    linked: int = 0
    proposed: int = 0

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


class _Skip(Exception):
    def __init__(self, reason: str):
        self.reason = reason


def read_camera_file(path: Path) -> CameraFile:
    """The camera file at `path` (see CameraFile); UnknownFileFormat if it is neither format."""
    return camera_file_from_bytes(Path(path).read_bytes(), str(path))


def camera_file_from_bytes(data: bytes, name: str) -> CameraFile:
    """A camera file's content (gzipped or not; an Overpass answer too) read as a CameraFile; `name` says
    where it came from in the messages. UnknownFileFormat if it is neither format, damaged or cut short."""
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise UnknownFileFormat(f"{name} is a damaged gzip file ({error})") from error
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise UnknownFileFormat(
            f"{name} is not JSON (or is cut short); expected Overpass API JSON or a JSON array of cameras"
        ) from error
    if isinstance(document, dict) and isinstance(document.get("elements"), list):
        return CameraFile(
            OVERPASS, document["elements"], _overpass_data_date(document), _overpass_error(document)
        )
    if isinstance(document, list) and (
        not document or any(isinstance(item, dict) and "osmId" in item for item in document)
    ):
        return CameraFile(CAMERA_ARRAY, document)
    raise UnknownFileFormat(
        f"{name} is JSON of no known format: expected Overpass API JSON (an object with `elements`) "
        "or a JSON array of cameras (objects with osmType, osmId, lat, lon)"
    )


def _overpass_data_date(document: dict) -> datetime | None:
    """`osm3s.timestamp_osm_base` ("2026-04-12T06:00:00Z"): the time of the data Overpass answered from."""
    meta = document.get("osm3s")
    raw = meta.get("timestamp_osm_base") if isinstance(meta, dict) else None
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _overpass_error(document: dict) -> str | None:
    remark = document.get("remark")
    if isinstance(remark, str) and "error" in remark.lower():
        return remark.strip()[:300]
    return None


def camera_from_overpass(element: object) -> tuple[CameraRecord, bool]:
    """One Overpass element (node with lat/lon, way or relation with `center`) as a camera, and whether
    its direction could not be fully read. Raises _Skip."""
    if not isinstance(element, dict):
        raise _Skip("malformed")
    tags = element.get("tags")
    tags = tags if isinstance(tags, dict) else {}
    if str(tags.get("surveillance:type", "")).strip().upper() != "ALPR":
        raise _Skip("not_alpr")
    osm_type, osm_id = _osm_key(element.get("type"), element.get("id"))
    position = element.get("center") if "lat" not in element and "lon" not in element else element
    return _record(
        osm_type,
        osm_id,
        position if isinstance(position, dict) else {},
        raw_direction=rules.first_present(tags.get(name) for name in DIRECTION_TAGS),
        raw_vendor=rules.first_present(tags.get(name) for name in VENDOR_TAGS),
        raw_mount=tags.get("camera:mount"),
        raw_operator=tags.get("operator"),
        raw_start_date=tags.get("start_date"),
        osm_version=_version(element.get("version")),
        osm_tags={str(key): str(value) for key, value in tags.items()},
    )


def _version(raw: object) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw < 2**31 else None


def camera_from_array_item(item: object) -> tuple[CameraRecord, bool]:
    """One record of DeFlock's array (every record there is an ALPR). `directionCardinal` holds the raw
    OSM direction ("90;270", "NE"); `direction` only its first bearing, so it is the fallback."""
    if not isinstance(item, dict):
        raise _Skip("malformed")
    osm_type, osm_id = _osm_key(item.get("osmType"), item.get("osmId"))
    return _record(
        osm_type,
        osm_id,
        item,
        raw_direction=rules.first_present((item.get("directionCardinal"), item.get("direction"))),
        raw_vendor=item.get("brand"),
        raw_mount=item.get("mountType"),
        raw_operator=item.get("operator"),
        raw_start_date=item.get("startDate"),
    )


def _record(
    osm_type: str,
    osm_id: int,
    position: dict,
    raw_direction: object,
    raw_vendor: object,
    raw_mount: object,
    raw_operator: object,
    raw_start_date: object = None,
    osm_version: int | None = None,
    osm_tags: dict | None = None,
) -> tuple[CameraRecord, bool]:
    """OSM's values read into our vocabulary (webapp.cameras.osm_tags), then checked by the camera-field
    rules every source shares. Returns the record and whether a direction could not be read."""
    lon, lat = _coordinates(position)
    bearings, not_understood = read_osm_directions(raw_direction)
    start_date, started_month = read_osm_start_date(raw_start_date)
    if len(bearings) > Limits.MAX_DIRECTIONS:  # more than any camera has: keep the first ones mapped
        bearings, not_understood = bearings[: Limits.MAX_DIRECTIONS], True
    fields = rules.camera_fields(
        lon,
        lat,
        bearings,
        _text(raw_vendor),
        read_osm_mount(raw_mount),
        rules.clean_free_text(raw_operator, Limits.OPERATOR_CHARS),
        vendor_in_free_text=True,
    )
    record = CameraRecord(
        osm_type=osm_type,
        osm_id=osm_id,
        osm_version=osm_version,
        osm_tags=osm_tags,
        mapper_directions=tuple(bearings),
        start_date=start_date,
        started_month=started_month,
        **asdict(fields),
    )
    return record, not_understood


READERS: dict[str, Callable[[object], tuple[CameraRecord, bool]]] = {
    OVERPASS: camera_from_overpass,
    CAMERA_ARRAY: camera_from_array_item,
}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _osm_key(raw_type: object, raw_id: object) -> tuple[str, int]:
    osm_type = raw_type.strip().lower() if isinstance(raw_type, str) else None
    if osm_type not in OSM_TYPES:
        raise _Skip("bad_osm_key")
    if isinstance(raw_id, bool) or not isinstance(raw_id, int | str):
        raise _Skip("bad_osm_key")
    if isinstance(raw_id, str):
        if not raw_id.strip().isdigit():
            raise _Skip("bad_osm_key")
        raw_id = int(raw_id)
    if not 0 < raw_id < 2**63:
        raise _Skip("bad_osm_key")
    return osm_type, raw_id


def _coordinates(position: dict) -> tuple[float, float]:
    lon, lat = _number(position.get("lon")), _number(position.get("lat"))
    if lon is None or lat is None:
        raise _Skip("no_coordinates")
    try:
        return rules.parse_position(lon, lat)
    except InvalidField:
        raise _Skip("out_of_range") from None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def parse_cameras(file_format: str, items: list) -> tuple[list[CameraRecord], ImportSummary]:
    """The cameras to upsert (one per OSM object, the last occurrence winning) and the tally so far."""
    read = READERS[file_format]
    summary = ImportSummary(file_format=file_format, records=len(items))
    by_key: dict[tuple[str, int], tuple[CameraRecord, bool]] = {}
    for item in items:
        try:
            camera, direction_not_understood = read(item)
        except _Skip as skip:
            summary.skipped[skip.reason] += 1
            continue
        key = (camera.osm_type, camera.osm_id)
        if key in by_key:
            summary.skipped["duplicate"] += 1
        by_key[key] = camera, direction_not_understood
    summary.directions_not_understood = sum(flag for _camera, flag in by_key.values())
    return [camera for camera, _flag in by_key.values()], summary


def summary_lines(summary: ImportSummary) -> list[str]:
    lines = [
        f"created   {summary.created:>8,}",
        f"updated   {summary.updated:>8,}",
        f"unchanged {summary.unchanged:>8,}",
        f"skipped   {summary.skipped_total:>8,}",
    ]
    for reason, label in SKIP_REASONS.items():
        if summary.skipped[reason]:
            lines.append(f"  {summary.skipped[reason]:>8,}  {label}")
    round_trip = (
        (summary.differs, "differ from OpenStreetMap in a field a moderator set: listed for review"),
        (summary.agreed, "now agree with OpenStreetMap on a field a moderator set"),
        (summary.linked, "reported cameras came back from OpenStreetMap (uploaded from our export): linked"),
        (summary.proposed, "links proposed between an OpenStreetMap camera and a reported one"),
        (summary.gone, "cameras gone from OpenStreetMap: queued for review"),
    )
    for count, label in round_trip:
        if count:
            lines.append(f"{count:>8,}  {label}")
    if summary.directions_not_understood:
        lines.append(
            f"directions not understood on {summary.directions_not_understood:,} cameras: those values were "
            "left out, the cameras imported"
        )
    return lines
