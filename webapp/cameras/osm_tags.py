"""OpenStreetMap's camera vocabulary, read into ours: compass directions (`direction`, `camera:direction`),
mounts (`camera:mount`) and start dates (`start_date`). What these readers return then goes through the
camera-field rules every source shares (webapp.camera_fields.rules), which also normalise vendors.

Mappers write directions in many ways; everything below was seen in the DeFlock extract of US ALPRs:
degrees ("90", "90;270", "90, 270", "-20", "360"), compass points ("NE", "SSW", "north"), travel lanes
("NB", "SB", "EB", "WB") and fields of view ("338-23", read clockwise from the first bearing to the second).
"""

import math
import re
from datetime import date

from webapp.camera_fields.vendors import vendor_name

# The 16 points of the compass, each 22.5 degrees apart.
_COMPASS_POINTS = (
    "N",
    "NNE",
    "NE",
    "ENE",
    "E",
    "ESE",
    "SE",
    "SSE",
    "S",
    "SSW",
    "SW",
    "WSW",
    "W",
    "WNW",
    "NW",
    "NNW",
)
COMPASS_DEGREES: dict[str, float] = {point: index * 22.5 for index, point in enumerate(_COMPASS_POINTS)}
COMPASS_DEGREES.update(
    {
        "NORTH": 0,
        "NORTHEAST": 45,
        "EAST": 90,
        "SOUTHEAST": 135,
        "SOUTH": 180,
        "SOUTHWEST": 225,
        "WEST": 270,
        "NORTHWEST": 315,
        # A lane's travel direction. Fixed ALPRs (Flock, Vigilant, Genetec) read the rear plates of the
        # traffic they watch, so a camera tagged "NB" looks north, along with the northbound cars.
        "NB": 0,
        "EB": 90,
        "SB": 180,
        "WB": 270,
        "NORTHBOUND": 0,
        "EASTBOUND": 90,
        "SOUTHBOUND": 180,
        "WESTBOUND": 270,
    }
)

_NUMBER = r"[+-]?\d+(?:\.\d+)?"
_DEGREES = re.compile(rf"^({_NUMBER})\s*°?$")
_FIELD_OF_VIEW = re.compile(r"^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)$")
# Negative bearings ("-20") are a common way of writing 340; anything past one turn either way is a typo
# ("270230" is two bearings run together), and guessing would put a cone on the map that nobody saw.
_MAX_TURN = 360


def read_osm_directions(raw: object) -> tuple[list[int], bool]:
    """The bearings (whole degrees, 0-359, first-seen order, no repeats) in a raw direction value, and
    whether any part of it could not be understood (that part is dropped, the rest is kept)."""
    if raw is None:
        return [], False
    if isinstance(raw, bool):
        return [], True
    if isinstance(raw, int | float):
        bearing = _bearing(float(raw))
        return ([bearing], False) if bearing is not None else ([], True)
    if not isinstance(raw, str):
        return [], True
    bearings: list[int] = []
    not_understood = False
    for part in re.split(r"[;,]", raw):
        part = part.strip()
        if not part:
            continue
        bearing = _parse_one(part)
        if bearing is None:
            not_understood = True
        elif bearing not in bearings:
            bearings.append(bearing)
    return bearings, not_understood


def _parse_one(part: str) -> int | None:
    if match := _DEGREES.match(part):
        return _bearing(float(match.group(1)))
    if match := _FIELD_OF_VIEW.match(part):
        return _field_of_view_centre(float(match.group(1)), float(match.group(2)))
    compass = COMPASS_DEGREES.get(part.upper())
    return round(compass) % 360 if compass is not None else None


def _bearing(degrees: float) -> int | None:
    if not math.isfinite(degrees) or abs(degrees) > _MAX_TURN:
        return None
    return round(degrees) % 360


def _field_of_view_centre(start: float, end: float) -> int | None:
    """The middle of a field of view swept clockwise from `start` to `end` ("338-23" faces north)."""
    if start > _MAX_TURN or end > _MAX_TURN:
        return None
    sweep = (end - start) % 360
    if sweep == 0 and start != end:
        return None  # "0-360": all the way round, so no one direction
    return round(start + sweep / 2) % 360


# OSM `camera:mount` values (and DeFlock's `mountType`) to our mounts. Unlisted values become "other".
_MOUNTS = {
    "pole": "pole",
    "street_lamp": "pole",
    "streetlamp": "pole",
    "street_light": "pole",
    "streetlight": "pole",
    "lamp": "pole",
    "utility_pole": "pole",
    "mast": "pole",
    "post": "pole",
    "traffic_signals": "traffic_signal",
    "traffic_signal": "traffic_signal",
    "traffic_light": "traffic_signal",
    "traffic_lights": "traffic_signal",
    "bridge": "overpass",
    "gantry": "overpass",
    "overpass": "overpass",
    "sign_gantry": "overpass",
    "wall": "building",
    "building": "building",
    "ceiling": "building",
    "roof": "building",
    "facade": "building",
}


def read_osm_mount(raw: object) -> str | None:
    """Our mount for a raw `camera:mount` value; None when it is absent."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    key = re.sub(r"[\s-]+", "_", raw.strip().lower())
    return _MOUNTS.get(key, "other")


# OSM's date format (ISO 8601 to the year, month or day; "2023/05/12" is a common slip). Anything else
# ("~2020", "before 2019", "2020..2022") is kept as tagged but names no month.
_START_MONTH = re.compile(r"^(\d{4})[-/](\d{2})(?:[-/](\d{2}))?$")
START_DATE_CHARS = 32


def read_osm_start_date(raw: object) -> tuple[str | None, date | None]:
    """`start_date` as tagged (trimmed; None when absent or too long to be a date) and the month it names,
    when it names one: "2023-05" and "2023-05-12" give May 2023; "2023" or "~2020" give no month (the
    timeline counts those cameras apart, as of unknown date, rather than guess one)."""
    if raw is None:
        return None, None
    text = str(raw).strip()
    if not text or len(text) > START_DATE_CHARS:
        return None, None
    match = _START_MONTH.match(text)
    if not match:
        return text, None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1900:
        return text, None
    return text, date(year, month, 1)


# Writing back to OpenStreetMap, as DeFlock tags an ALPR. Our mounts as `camera:mount` values ("other" has
# none and stays untagged); each reads back (read_osm_mount) as the mount it came from.
MOUNT_TAGS = {"pole": "pole", "traffic_signal": "traffic_signals", "overpass": "gantry", "building": "wall"}
# `manufacturer` and `manufacturer:wikidata` for the vendors DeFlock's guide names; other vendors get their
# display name only (webapp.camera_fields.vendors.vendor_name), and "unknown" no manufacturer at all.
MANUFACTURERS = {
    "flock-safety": ("Flock Safety", "Q108485435"),
    "motorola-vigilant": ("Motorola Solutions", "Q634815"),
    "genetec": ("Genetec", "Q30295174"),
    "leonardo-elsag": ("Leonardo", "Q910379"),
    "axis": ("Axis Communications", "Q2347731"),
}
# The tags of every ALPR Sightline adds: a fixed camera watching traffic in public space.
ALPR_TAGS = {
    "man_made": "surveillance",
    "surveillance": "public",
    "surveillance:type": "ALPR",
    "surveillance:zone": "traffic",
    "camera:type": "fixed",
}


def osm_mount_tag(mount: str | None) -> str | None:
    return MOUNT_TAGS.get(mount) if mount else None


def manufacturer_tags(vendor: str) -> dict[str, str | None]:
    """`manufacturer` and `manufacturer:wikidata` for a vendor slug (None: no such tag)."""
    if vendor == "unknown":
        return {"manufacturer": None, "manufacturer:wikidata": None}
    name, wikidata = MANUFACTURERS.get(vendor, (vendor_name(vendor), None))
    return {"manufacturer": name, "manufacturer:wikidata": wikidata}


def direction_tag(directions: list[int], mapper_order: list[int] | tuple[int, ...] = ()) -> str | None:
    """`direction` in degrees joined by ";": the mapper's order for bearings they mapped, new ones after."""
    wanted = set(directions)
    ordered = [bearing for bearing in mapper_order if bearing in wanted]
    ordered += sorted(wanted - set(ordered))
    return ";".join(str(bearing) for bearing in ordered) or None
