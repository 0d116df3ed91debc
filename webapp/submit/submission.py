"""The one domain function behind the /submit form and POST /api/v1/sightings: check every field (by the
camera-field rules every source shares), process every photo, then store the sighting and its photos all
together or not at all. Also the receipt lookup.

The receipt is a random secret handed to the submitter once; only its SHA-256 is stored, so the database
cannot tell anyone which report is whose.
"""

import hashlib
import re
import secrets
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from webapp.camera_fields.rules import (
    CameraFields,
    camera_fields,
    parse_month,
    parse_notes,
    parse_position,
)
from webapp.geo.nearby import NearbyCamera, cameras_near
from webapp.kernel.data.models import AreaPart, Camera, Photo, Sighting
from webapp.kernel.errors import InvalidField
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import (
    PUBLISHED_SIGHTING_STATUSES,
    AreaKind,
    CameraStatus,
    Limits,
    SightingStatus,
)
from webapp.photos.encoding import Derivatives
from webapp.photos.pending import keep_pending
from webapp.photos.pipeline import PhotoRejected, decoded_bytes, derivatives_of, open_for_processing

RECEIPT_BYTES = 24
# The form's answer "this is a new camera" to "is it a camera already on the map?" (empty says the same).
NEW_CAMERA = "new"
_RECEIPT = re.compile(r"[A-Za-z0-9_-]{32}", re.ASCII)
_CAMERA_NUMBER = re.compile(r"\d{1,18}", re.ASCII)


@dataclass(frozen=True)
class SightingDetails:
    camera: CameraFields
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
    # The public camera the report became or confirmed, once a moderator verified it.
    camera_id: int | None = None


def submit_sighting(
    fields: Mapping, photos: list[bytes], submitter_id: int | None = None
) -> SubmissionResult:
    """Check `fields` (a form MultiDict or a plain dict) and `photos` (raw uploads), then add the sighting
    to the current transaction (the route commits).

    Raises a DomainError, with nothing stored, for any bad field or photo. The photos stay in the database
    until a moderator publishes them (webapp/photos/pending.py): nothing is written to disk.
    """
    details = parse_sighting(fields)
    _check_on_the_map(details.camera.lon, details.camera.lat)
    processed = process_photos(photos)
    receipt = secrets.token_urlsafe(RECEIPT_BYTES)
    camera = details.camera
    sighting = Sighting(
        geom=func.ST_SetSRID(func.ST_MakePoint(camera.lon, camera.lat), 4326),
        camera_id=details.camera_id,
        vendor=camera.vendor,
        mount=camera.mount,
        directions=camera.directions,
        operator=camera.operator,
        notes=details.notes,
        observed_month=details.observed_month,
        receipt_hash=receipt_hash(receipt),
        submitter_id=submitter_id,
    )
    # suggested_boxes stays NULL: the moderation side runs the face/plate detector later.
    for photo in processed:
        row = Photo(
            content_hash=photo.display.content_hash,
            width=photo.display.width,
            height=photo.display.height,
            display_key=photo.display.key,
            thumb_key=photo.thumb.key,
            public=False,
        )
        sighting.photos.append(row)
        # Kept in the database until a moderator publishes it: no file, so no file time, says when it came.
        keep_pending(row, photo.display.data, photo.thumb.data)
    db.session.add(sighting)
    db.session.flush()
    return SubmissionResult(
        receipt=receipt,
        status=sighting.status or SightingStatus.PENDING,
        nearby_cameras=cameras_near(camera.lon, camera.lat, Limits.DUPLICATE_RADIUS_M),
    )


def receipt_hash(receipt: str) -> str:
    return hashlib.sha256(receipt.encode()).hexdigest()


def status_for_receipt(receipt: str) -> ReceiptStatus | None:
    """What a receipt's holder may know of their sighting: its status and, if rejected, the reason."""
    if not _RECEIPT.fullmatch(receipt or ""):
        return None
    row = db.session.execute(
        select(
            Sighting.status, Sighting.reject_reason, Sighting.camera_id, Camera.status.label("camera_status")
        )
        .outerjoin(Camera, Camera.id == Sighting.camera_id)
        .where(Sighting.receipt_hash == receipt_hash(receipt))
    ).first()
    if row is None:
        return None
    published = row.status in PUBLISHED_SIGHTING_STATUSES and row.camera_status == CameraStatus.VERIFIED
    return ReceiptStatus(
        status=row.status,
        reject_reason=row.reject_reason if row.status == SightingStatus.REJECTED else None,
        camera_id=row.camera_id if published else None,
    )


def nearby_of_receipt(receipt: str) -> list[NearbyCamera]:
    """The cameras on the map near the pin of the report a receipt names (for its receipt page)."""
    if not _RECEIPT.fullmatch(receipt or ""):
        return []
    position = db.session.execute(
        select(func.ST_X(Sighting.geom), func.ST_Y(Sighting.geom)).where(
            Sighting.receipt_hash == receipt_hash(receipt)
        )
    ).first()
    if position is None:
        return []
    return cameras_near(position[0], position[1], Limits.DUPLICATE_RADIUS_M)


def _single(fields: Mapping, name: str) -> str | None:
    value = fields.get(name)
    return value if isinstance(value, str) else None


def parse_coordinates(fields: Mapping) -> tuple[float, float]:
    """(lon, lat) from the `lon` and `lat` fields, or InvalidField."""
    return parse_position(_single(fields, "lon"), _single(fields, "lat"))


def parse_sighting(fields: Mapping) -> SightingDetails:
    directions = fields.getlist("directions") if hasattr(fields, "getlist") else fields.get("directions")
    camera = camera_fields(
        _single(fields, "lon"),
        _single(fields, "lat"),
        directions,
        _single(fields, "vendor"),
        _single(fields, "mount"),
        _single(fields, "operator"),
        # The public picks a vendor from the list, and says which way the camera faces.
        vendor_in_free_text=False,
        direction_required=True,
    )
    return SightingDetails(
        camera=camera,
        notes=parse_notes(_single(fields, "notes")),
        observed_month=parse_month(_single(fields, "observed_month")),
        camera_id=_confirmed_camera(_single(fields, "camera_id"), camera.lon, camera.lat),
    )


def process_photos(photos: list[bytes]) -> list[Derivatives]:
    """Re-encode a report's photos, checking all of them before decoding any: a bad photo among good ones is
    refused before the good ones cost a decode, and each may take at most PHOTO_MAX_DECODED_BYTES to process
    (counted from its headers: webapp.photos.pipeline.decoded_bytes). They are decoded one at a time, so a
    report's peak is its largest photo's."""
    config = current_app.config
    if len(photos) > config["PHOTO_MAX_COUNT"]:
        raise InvalidField(
            "photos",
            _("At most %(count)d photos per report.", count=config["PHOTO_MAX_COUNT"]),
            code="too_many_photos",
        )
    opened = []
    try:
        for number, data in enumerate(photos, start=1):
            with _photo_number(number):
                opened.append(
                    open_for_processing(data, config["PHOTO_MAX_PIXELS"], config["PHOTO_MAX_BYTES"])
                )
        for number, image in enumerate(opened, start=1):
            with _photo_number(number):
                _check_decoded_bytes(decoded_bytes(image), config["PHOTO_MAX_DECODED_BYTES"])
        processed = []
        for number, image in enumerate(opened, start=1):
            with _photo_number(number):
                processed.append(derivatives_of(image, config["PHOTO_MAX_PIXELS"]))
        return processed
    finally:
        for image in opened:
            image.close()


@contextmanager
def _photo_number(number: int):
    """A photo's refusal as the refusal of the report's `photos` field, saying which photo it was."""
    try:
        yield
    except PhotoRejected as refusal:
        message = _("Photo %(number)d: %(reason)s", number=number, reason=refusal.message)
        raise InvalidField("photos", message, code=refusal.code, status=refusal.status) from None


def _check_decoded_bytes(needed: int, limit: int) -> None:
    if needed > limit:
        mib = 1024 * 1024
        raise PhotoRejected(
            413,
            "photos_too_large_to_decode",
            _(
                "It would take %(size)d MB of memory to process; a photo may take at most %(limit)d MB. "
                "Please send a smaller photo.",
                size=-(-needed // mib),
                limit=limit // mib,
            ),
        )


def _check_on_the_map(lon: float, lat: float) -> None:
    """Refuse a pin outside every state the map covers (a slip of the finger into the ocean). Without any
    state boundaries loaded there is nothing to check against, and every position on Earth is taken."""
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    states = select(AreaPart.id).where(AreaPart.kind == AreaKind.STATE)
    inside = states.where(func.ST_Intersects(AreaPart.geom, point))
    if db.session.scalar(select(states.exists())) and not db.session.scalar(select(inside.exists())):
        raise InvalidField(
            "lat",
            _("The pin is outside the areas this map covers (the US states). Check where you placed it."),
            code="outside_the_map",
            status=422,
        )


def _confirmed_camera(raw: str | None, lon: float, lat: float) -> int | None:
    """The camera the submitter says this is ("this is that camera"): a verified one near the pin."""
    raw = (raw or "").strip()
    if not raw or raw == NEW_CAMERA:
        return None
    if not _CAMERA_NUMBER.fullmatch(raw):
        raise InvalidField("camera_id", _("The camera to confirm is not a camera number."))
    camera_id = int(raw)
    exists = db.session.scalar(
        select(Camera.id).where(Camera.id == camera_id, Camera.status == CameraStatus.VERIFIED)
    )
    nearby = {camera.id for camera in cameras_near(lon, lat, Limits.DUPLICATE_RADIUS_M, limit=100)}
    if exists is None or camera_id not in nearby:
        raise InvalidField(
            "camera_id",
            _(
                "The camera you confirm must be a camera on the map within %(metres)d m of the pin.",
                metres=Limits.DUPLICATE_RADIUS_M,
            ),
            code="camera_not_nearby",
            status=422,
        )
    return camera_id
