"""One rule for each camera field, whoever supplies it: the public's report, a moderator's correction, the
OpenStreetMap import or the demo seed. Each parser takes the raw value (a form string, a JSON value, a value
read from a file) and returns the stored value, or raises InvalidField naming the field and saying why.

Where sources differ it is in what they may say, never in how a value is checked: a member of the public
picks a vendor from the list, while moderators and the import may name a vendor in free text, which is
normalised to a slug (webapp.camera_fields.vendors); a report must give a direction or say it does not know
(DIRECTION_UNKNOWN, stored as no direction), while a moderator or OpenStreetMap may leave it unknown.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext as _

from webapp.camera_fields.vendors import BY_SLUG, normalise_vendor
from webapp.kernel.errors import InvalidField
from webapp.kernel.http.text_input import CONTROL_CHARACTERS
from webapp.kernel.vocabulary import MOUNTS, Limits

# ASCII decimal numbers only: float() would also take "nan", "1_000", "١٢" or "１２".
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_DEGREES = re.compile(r"\d{1,3}", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_DIRECTION_SEPARATORS = re.compile(r"[,; ]+")
# "I don't know which way it faces": an explicit answer, stored as no direction.
DIRECTION_UNKNOWN = "unknown"


@dataclass(frozen=True)
class CameraFields:
    """What a camera shows: where it stands and what it is. Build it with camera_fields()."""

    lon: float
    lat: float
    directions: list[int]
    vendor: str
    mount: str | None = None
    operator: str | None = None


def camera_fields(
    lon: object,
    lat: object,
    directions: object,
    vendor: object,
    mount: object = None,
    operator: object = None,
    *,
    vendor_in_free_text: bool,
    direction_required: bool = False,
) -> CameraFields:
    """Every camera field checked by its rule (InvalidField for the first that is wrong)."""
    lon, lat = parse_position(lon, lat)
    return CameraFields(
        lon=lon,
        lat=lat,
        directions=parse_directions(directions, required=direction_required),
        vendor=parse_vendor(vendor, in_free_text=vendor_in_free_text),
        mount=parse_mount(mount),
        operator=parse_operator(operator),
    )


def _label(field: str) -> str:
    return {
        "lat": _("Latitude"),
        "lon": _("Longitude"),
        "notes": _("Notes"),
        "operator": _("Operator"),
    }[field]


def parse_coordinate(raw: object, field: str) -> float:
    """A latitude (`lat`) or longitude (`lon`) in degrees: a finite number, or an ASCII decimal string."""
    limit = 90 if field == "lat" else 180
    label = _label(field)
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        raise InvalidField(
            field, _("%(field)s is missing: place the pin on the map.", field=label), "missing_field"
        )
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InvalidField(field, _("%(field)s must be a decimal number.", field=label))
    if isinstance(raw, str) and not _DECIMAL.fullmatch(raw):
        raise InvalidField(field, _("%(field)s must be a decimal number.", field=label))
    value = float(raw)
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise InvalidField(
            field, _("%(field)s must be between -%(limit)d and %(limit)d.", field=label, limit=limit)
        )
    return value


def parse_position(lon: object, lat: object) -> tuple[float, float]:
    """(lon, lat), each checked by parse_coordinate (the latitude first: it is the first field on forms)."""
    lat_value = parse_coordinate(lat, "lat")
    return parse_coordinate(lon, "lon"), lat_value


def _direction_parts(raw: object) -> list[object]:
    values = raw if isinstance(raw, list | tuple) else [raw]
    parts: list[object] = []
    for value in values:
        if isinstance(value, str):
            parts += [part for part in _DIRECTION_SEPARATORS.split(value.strip()) if part]
        elif value is not None:
            parts.append(value)
    return parts


def _degrees(part: object) -> int:
    if isinstance(part, int) and not isinstance(part, bool) and 0 <= part <= 359:
        return part
    if isinstance(part, float) and part.is_integer() and 0 <= part <= 359:
        return int(part)
    if isinstance(part, str) and _DEGREES.fullmatch(part) and int(part) <= 359:
        return int(part)
    raise InvalidField(
        "directions", _("Each direction is a whole number of degrees from 0 to 359 (0 is north).")
    )


def parse_directions(raw: object, required: bool = False) -> list[int]:
    """Compass bearings, sorted, without repeats: a list of values or a string such as "90, 270" (commas,
    semicolons or spaces between them). DIRECTION_UNKNOWN, alone, says the direction is not known: no
    direction, and no refusal where one is required."""
    parts = _direction_parts(raw)
    if DIRECTION_UNKNOWN in parts:
        if any(part != DIRECTION_UNKNOWN for part in parts):
            raise InvalidField(
                "directions", _("Choose directions or “I don't know”, not both."), "conflicting_directions"
            )
        return []
    directions = sorted({_degrees(part) for part in parts})
    if required and not directions:
        raise InvalidField(
            "directions",
            _("Choose at least one direction the camera faces, or “I don't know”."),
            "missing_field",
        )
    if len(directions) > Limits.MAX_DIRECTIONS:
        raise InvalidField("directions", _("At most %(count)d directions.", count=Limits.MAX_DIRECTIONS))
    return directions


def parse_vendor(raw: object, in_free_text: bool) -> str:
    """A vendor slug. The public chooses one of the list (or nothing: "unknown"); a vendor named in free
    text (by a moderator, or in OpenStreetMap) is normalised to a slug, known or new."""
    value = raw.strip() if isinstance(raw, str) else ""
    if in_free_text:
        return normalise_vendor(value)
    vendor = value or "unknown"
    if vendor not in BY_SLUG:
        raise InvalidField("vendor", _("Unknown vendor: choose one from the list, or “unknown”."))
    return vendor


def parse_mount(raw: object) -> str | None:
    mount = raw.strip() if isinstance(raw, str) else ""
    if not mount:
        return None
    if mount not in MOUNTS:
        raise InvalidField("mount", _("Unknown mount: choose one of %(mounts)s.", mounts=", ".join(MOUNTS)))
    return mount


def parse_text(raw: object, field: str, max_chars: int, multiline: bool) -> str | None:
    """Plain text: trimmed, no control characters (and no line breaks unless `multiline`), at most
    `max_chars`; None when empty."""
    label = _label(field)
    value = raw.strip() if isinstance(raw, str) else ""
    if not value:
        return None
    if CONTROL_CHARACTERS.search(value) or (not multiline and ("\n" in value or "\r" in value)):
        raise InvalidField(
            field, _("%(field)s may only hold plain text (no control characters).", field=label)
        )
    value = value.replace("\r\n", "\n")
    if len(value) > max_chars:
        raise InvalidField(
            field, _("%(field)s may be at most %(count)d characters.", field=label, count=max_chars)
        )
    return value


def parse_operator(raw: object) -> str | None:
    return parse_text(raw, "operator", Limits.OPERATOR_CHARS, multiline=False)


def parse_notes(raw: object) -> str | None:
    return parse_text(raw, "notes", Limits.NOTES_CHARS, multiline=True)


def parse_month(raw: object, field: str = "observed_month") -> date | None:
    """A month, written YYYY-MM (or a date: its month), from 2000 to this month; None when empty."""
    if isinstance(raw, date):
        month = raw.replace(day=1)
    else:
        value = raw.strip() if isinstance(raw, str) else ""
        if not value:
            return None
        match = _MONTH.fullmatch(value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise InvalidField(field, _("The month observed is written YYYY-MM, for example 2026-03."))
        month = date(int(match[1]), int(match[2]), 1)
    this_month = datetime.now(UTC).date().replace(day=1)
    if not date(Limits.EARLIEST_OBSERVED_YEAR, 1, 1) <= month <= this_month:
        raise InvalidField(field, _("The month observed cannot be in the future or before 2000."))
    return month


def clean_free_text(raw: object, max_chars: int) -> str | None:
    """Text from a file we import (OpenStreetMap tags): whitespace and control characters folded to single
    spaces and the length capped, so that it passes the rule above instead of refusing a whole camera."""
    if not isinstance(raw, str):
        return None
    text = " ".join(CONTROL_CHARACTERS.sub(" ", raw).split())
    return text[:max_chars] or None


def first_present(values: Iterable[object]) -> object:
    """The first value that is not None or blank (for a field several tags or keys may hold)."""
    for value in values:
        if value is not None and (not isinstance(value, str) or value.strip()):
            return value
    return None
