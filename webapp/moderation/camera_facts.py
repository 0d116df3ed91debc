"""A camera's fields as the audit history records them (JSON-safe, positions to 0.1 m), and which tracked
field (OWNED_FIELDS) each history key belongs to."""

from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import Point

from webapp.camera_fields.rules import CameraFields
from webapp.kernel.data.audit import FieldChange
from webapp.kernel.data.models import Camera
from webapp.kernel.vocabulary import Limits

# Positions in the history are rounded to 0.1 m: finer digits are noise, not a correction.
POSITION_DIGITS = Limits.COORDINATE_DIGITS
# History keys of CameraFields -> the tracked field they belong to.
OWNER_OF_KEY = {
    "lat": "position",
    "lon": "position",
    "directions": "directions",
    "vendor": "vendor",
    "mount": "mount",
    "operator": "operator",
}


def fields_snapshot(fields: CameraFields) -> dict:
    return {
        "lat": round(fields.lat, POSITION_DIGITS),
        "lon": round(fields.lon, POSITION_DIGITS),
        "directions": sorted(fields.directions),
        "vendor": fields.vendor,
        "mount": fields.mount,
        "operator": fields.operator,
    }


def fields_of_camera(camera: Camera) -> CameraFields:
    position = to_shape(camera.geom)
    return CameraFields(
        lon=position.x,
        lat=position.y,
        directions=sorted(camera.directions or []),
        vendor=camera.vendor,
        mount=camera.mount,
        operator=camera.operator,
    )


def point(lon: float, lat: float):
    return from_shape(Point(lon, lat), srid=4326)


def apply_fields(camera: Camera, fields: CameraFields) -> None:
    camera.geom = point(fields.lon, fields.lat)
    camera.vendor = fields.vendor
    camera.mount = fields.mount
    camera.directions = sorted(fields.directions)
    camera.operator = fields.operator


def owned_fields_of(changes: list[FieldChange]) -> set[str]:
    return {OWNER_OF_KEY[change.field] for change in changes if change.field in OWNER_OF_KEY}


def changes_text(changes: list[FieldChange]) -> str:
    return "; ".join(f"{change.field} {_shown(change.before)} → {_shown(change.after)}" for change in changes)


def _shown(value) -> str:
    if value is None or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
