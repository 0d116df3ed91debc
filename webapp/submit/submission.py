"""The one domain function behind the /submit form and POST /api/v1/sightings: check every field, process
every photo, then store the sighting and its photos all together or not at all. Also the receipt lookup.

The receipt is a random secret handed to the submitter once; only its SHA-256 is stored, so the database
cannot tell anyone which report is whose.
"""

import contextlib
import errno
import hashlib
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Response, current_app, jsonify
from flask_babel import gettext as _
from sqlalchemy import func, select

from webapp.cameras.nearby import NearbyCamera, cameras_near
from webapp.cameras.vendors import BY_SLUG
from webapp.extensions import db
from webapp.models import Camera, Photo, Sighting
from webapp.models.vocabulary import MOUNTS
from webapp.photos.pipeline import PhotoRejected, ProcessedPhoto, process_photo
from webapp.photos.references import delete_unreferenced
from webapp.photos.storage import StorageFull, photo_storage

DUPLICATE_RADIUS_M = 50
NOTES_MAX_CHARS = 2000
OPERATOR_MAX_CHARS = 200
MAX_DIRECTIONS = 8
EARLIEST_OBSERVED_YEAR = 2000
RECEIPT_BYTES = 24

# ASCII decimal numbers only: float() would also take "nan", "1_000", "١٢" or "１２".
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_INTEGER = re.compile(r"\d{1,3}", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
# Control characters other than tab and newlines; PostgreSQL refuses NUL in text outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_RECEIPT = re.compile(r"[A-Za-z0-9_-]{32}", re.ASCII)


class SubmissionRefused(Exception):
    """A submission we will not store: `status` and `code` become the HTTP answer, `message` says why."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field

    def json_response(self) -> Response:
        """The usual JSON error, plus the name of the refused field when there is one."""
        body = {"error": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        response = jsonify(body)
        response.status_code = self.status
        if self.status in (503, 507):
            response.headers["Retry-After"] = "300"
        return response


@dataclass(frozen=True)
class SightingDetails:
    lon: float
    lat: float
    directions: list[int]
    vendor: str
    mount: str | None
    operator: str | None
    notes: str | None
    observed_month: date | None
    camera_id: int | None


@dataclass(frozen=True)
class SubmissionResult:
    receipt: str
    status: str
    nearby_cameras: list[NearbyCamera]


@dataclass(frozen=True)
class ReceiptStatus:
    status: str
    reject_reason: str | None


def submit_sighting(
    fields: Mapping, photos: list[bytes], submitter_id: int | None = None
) -> SubmissionResult:
    """Check `fields` (a form MultiDict or a plain dict) and `photos` (raw uploads), then store the sighting.

    Raises SubmissionRefused, with nothing stored, for any bad field or photo or when storage is full.
    """
    details = parse_sighting(fields)
    processed = process_photos(photos)
    receipt = secrets.token_urlsafe(RECEIPT_BYTES)
    sighting = Sighting(
        geom=func.ST_SetSRID(func.ST_MakePoint(details.lon, details.lat), 4326),
        camera_id=details.camera_id,
        vendor=details.vendor,
        mount=details.mount,
        directions=details.directions,
        operator=details.operator,
        notes=details.notes,
        observed_month=details.observed_month,
        receipt_hash=receipt_hash(receipt),
        submitter_id=submitter_id,
    )
    # suggested_boxes stays NULL: the moderation side runs the face/plate detector later.
    sighting.photos = [
        Photo(
            content_hash=photo.display.content_hash,
            width=photo.display.width,
            height=photo.display.height,
            display_key=photo.display.key,
            thumb_key=photo.thumb.key,
            public=False,
        )
        for photo in processed
    ]
    written = _store_files(processed)
    try:
        db.session.add(sighting)
        db.session.commit()
    except BaseException:
        with contextlib.suppress(Exception):  # when the database is gone, even the rollback may fail
            db.session.rollback()
        # Not blindly: another report of the same photo may have committed a row for the same key meanwhile.
        delete_unreferenced(written)
        raise
    return SubmissionResult(
        receipt=receipt,
        status=sighting.status or "pending",
        nearby_cameras=cameras_near(details.lon, details.lat, DUPLICATE_RADIUS_M),
    )


def receipt_hash(receipt: str) -> str:
    return hashlib.sha256(receipt.encode()).hexdigest()


def status_for_receipt(receipt: str) -> ReceiptStatus | None:
    """What a receipt's holder may know of their sighting: its status and, if rejected, the reason."""
    if not _RECEIPT.fullmatch(receipt or ""):
        return None
    row = db.session.execute(
        select(Sighting.status, Sighting.reject_reason).where(Sighting.receipt_hash == receipt_hash(receipt))
    ).first()
    if row is None:
        return None
    return ReceiptStatus(
        status=row.status, reject_reason=row.reject_reason if row.status == "rejected" else None
    )


def parse_coordinates(fields: Mapping) -> tuple[float, float]:
    """(lon, lat) from the `lon` and `lat` fields, or SubmissionRefused."""
    lat = _coordinate(fields, "lat", 90)
    lon = _coordinate(fields, "lon", 180)
    return lon, lat


def parse_sighting(fields: Mapping) -> SightingDetails:
    lon, lat = parse_coordinates(fields)
    return SightingDetails(
        lon=lon,
        lat=lat,
        directions=_directions(fields),
        vendor=_vendor(fields),
        mount=_mount(fields),
        operator=_text(fields, "operator", OPERATOR_MAX_CHARS, multiline=False),
        notes=_text(fields, "notes", NOTES_MAX_CHARS, multiline=True),
        observed_month=_observed_month(fields),
        camera_id=_confirmed_camera(fields, lon, lat),
    )


def process_photos(photos: list[bytes]) -> list[ProcessedPhoto]:
    config = current_app.config
    if len(photos) > config["PHOTO_MAX_COUNT"]:
        raise SubmissionRefused(
            400,
            "too_many_photos",
            _("At most %(count)d photos per report.", count=config["PHOTO_MAX_COUNT"]),
            "photos",
        )
    processed = []
    for number, data in enumerate(photos, start=1):
        try:
            processed.append(process_photo(data, config["PHOTO_MAX_PIXELS"], config["PHOTO_MAX_BYTES"]))
        except PhotoRejected as refusal:
            message = _("Photo %(number)d: %(reason)s", number=number, reason=refusal.message)
            raise SubmissionRefused(refusal.status, refusal.code, message, "photos") from None
    return processed


def _store_files(processed: list[ProcessedPhoto]) -> list[str]:
    """Write every derivative; on failure remove what this call wrote and refuse. Returns the keys written.

    Keys are content hashes, so a key that already exists holds the very same bytes (another report of the
    same photo): it is neither rewritten nor, on failure, deleted.
    """
    storage = photo_storage()
    written: list[str] = []
    try:
        for photo in processed:
            for derivative in (photo.display, photo.thumb):
                if derivative.key in written or storage.exists(derivative.key):
                    continue
                storage.put(derivative.key, derivative.data)
                written.append(derivative.key)
    except OSError as error:
        _delete_files(written)
        # Backends other than the filesystem one may pass ENOSPC or EDQUOT through as a plain OSError.
        if isinstance(error, StorageFull) or error.errno in (errno.ENOSPC, errno.EDQUOT):
            current_app.logger.error("photo storage is full: a submission was refused")
            raise SubmissionRefused(
                507,
                "storage_full",
                _("Our photo storage is full, so nothing was saved. Please try again later."),
            ) from None
        current_app.logger.error("photo storage failed: %s", type(error).__name__)
        raise SubmissionRefused(
            503,
            "storage_unavailable",
            _("We cannot store photos right now. Nothing was saved; please try again later."),
        ) from None
    return written


def _delete_files(keys: list[str]) -> None:
    storage = photo_storage()
    for key in keys:
        try:
            storage.delete(key)
        except OSError:  # the orphan sweep removes whatever is left
            current_app.logger.warning("could not remove a photo file after a failed submission")


def _refuse(field: str, message: str, code: str = "invalid_field") -> SubmissionRefused:
    return SubmissionRefused(400, code, message, field)


def _single(fields: Mapping, name: str) -> str:
    value = fields.get(name)
    return value.strip() if isinstance(value, str) else ""


def _coordinate(fields: Mapping, name: str, limit: float) -> float:
    label = {"lat": _("Latitude"), "lon": _("Longitude")}[name]
    raw = _single(fields, name)
    if not raw:
        raise _refuse(
            name, _("%(field)s is missing: place the pin on the map.", field=label), "missing_field"
        )
    if not _DECIMAL.fullmatch(raw):
        raise _refuse(name, _("%(field)s must be a decimal number.", field=label))
    value = float(raw)
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise _refuse(
            name, _("%(field)s must be between -%(limit)d and %(limit)d.", field=label, limit=limit)
        )
    return value


def _directions(fields: Mapping) -> list[int]:
    values = fields.getlist("directions") if hasattr(fields, "getlist") else [fields.get("directions")]
    parts = [part.strip() for value in values if isinstance(value, str) for part in value.split(",")]
    parts = [part for part in parts if part]
    if not parts:
        raise _refuse("directions", _("Choose at least one direction the camera faces."), "missing_field")
    directions = []
    for part in parts:
        if not _INTEGER.fullmatch(part) or int(part) > 359:
            raise _refuse(
                "directions", _("Each direction is a whole number of degrees from 0 to 359 (0 is north).")
            )
        if int(part) not in directions:
            directions.append(int(part))
    if len(directions) > MAX_DIRECTIONS:
        raise _refuse("directions", _("At most %(count)d directions.", count=MAX_DIRECTIONS))
    return sorted(directions)


def _vendor(fields: Mapping) -> str:
    vendor = _single(fields, "vendor") or "unknown"
    if vendor not in BY_SLUG:
        raise _refuse("vendor", _("Unknown vendor: choose one from the list, or “unknown”."))
    return vendor


def _mount(fields: Mapping) -> str | None:
    mount = _single(fields, "mount")
    if not mount:
        return None
    if mount not in MOUNTS:
        raise _refuse("mount", _("Unknown mount: choose one of %(mounts)s.", mounts=", ".join(MOUNTS)))
    return mount


def _text(fields: Mapping, name: str, max_chars: int, multiline: bool) -> str | None:
    label = {"notes": _("Notes"), "operator": _("Operator")}[name]
    value = fields.get(name)
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        return None
    if _CONTROL.search(value) or (not multiline and ("\n" in value or "\r" in value)):
        raise _refuse(name, _("%(field)s may only hold plain text (no control characters).", field=label))
    value = value.replace("\r\n", "\n")
    if len(value) > max_chars:
        raise _refuse(name, _("%(field)s may be at most %(count)d characters.", field=label, count=max_chars))
    return value


def _observed_month(fields: Mapping) -> date | None:
    raw = _single(fields, "observed_month")
    if not raw:
        return None
    match = _MONTH.fullmatch(raw)
    if not match or not 1 <= int(match[2]) <= 12:
        raise _refuse("observed_month", _("The month observed is written YYYY-MM, for example 2026-03."))
    month = date(int(match[1]), int(match[2]), 1)
    this_month = datetime.now(UTC).date().replace(day=1)
    if not date(EARLIEST_OBSERVED_YEAR, 1, 1) <= month <= this_month:
        raise _refuse("observed_month", _("The month observed cannot be in the future or before 2000."))
    return month


def _confirmed_camera(fields: Mapping, lon: float, lat: float) -> int | None:
    """The camera the submitter says this is ("this is that camera"): a verified one near the pin."""
    raw = _single(fields, "camera_id")
    if not raw:
        return None
    if not re.fullmatch(r"\d{1,18}", raw, re.ASCII):
        raise _refuse("camera_id", _("The camera to confirm is not a camera number."))
    camera_id = int(raw)
    exists = db.session.scalar(select(Camera.id).where(Camera.id == camera_id, Camera.status == "verified"))
    nearby = {camera.id for camera in cameras_near(lon, lat, DUPLICATE_RADIUS_M, limit=100)}
    if exists is None or camera_id not in nearby:
        raise SubmissionRefused(
            422,
            "camera_not_nearby",
            _(
                "The camera you confirm must be a camera on the map within %(metres)d m of the pin.",
                metres=DUPLICATE_RADIUS_M,
            ),
            "camera_id",
        )
    return camera_id
