"""Reading a moderator's decision from an HTML form or a JSON body: corrected camera fields (checked by the
camera-field rules every source shares), photo boxes and drops, the camera to merge into."""

import json

from flask_babel import gettext as _

from webapp.camera_fields.rules import CameraFields, camera_fields, parse_month
from webapp.kernel.errors import InvalidField, InvalidInput
from webapp.moderation.photo_release import PhotoDecision


def _moderator_fields(lon, lat, directions, vendor, mount, operator) -> CameraFields:
    # Moderators may name a vendor in free text (normalised to a slug) and leave the direction unknown.
    return camera_fields(lon, lat, directions, vendor, mount, operator, vendor_in_free_text=True)


def camera_fields_from_form(form) -> CameraFields:
    return _moderator_fields(
        form.get("lon", ""),
        form.get("lat", ""),
        form.get("directions", ""),
        form.get("vendor", ""),
        form.get("mount"),
        form.get("operator"),
    )


def json_body(request) -> dict:
    """The request's JSON object (an empty one for an empty body); InvalidInput for anything else."""
    body = request.get_json(silent=True)
    if (body is None and request.data) or (body is not None and not isinstance(body, dict)):
        raise InvalidInput(_("The body must be a JSON object."))
    return body or {}


def camera_fields_from_json(body: dict, defaults: CameraFields) -> CameraFields:
    """The sighting's own values, overridden by whatever the body's "fields" object corrects."""
    fields = body.get("fields") or {}
    if not isinstance(fields, dict):
        raise InvalidInput(_('"fields" must be an object.'), field="fields")
    return _moderator_fields(
        fields.get("lon", defaults.lon),
        fields.get("lat", defaults.lat),
        fields.get("directions", defaults.directions),
        _text(fields.get("vendor", defaults.vendor)),
        _text(fields.get("mount", defaults.mount)),
        _text(fields.get("operator", defaults.operator)),
    )


def _text(value) -> str | None:
    return None if value is None else str(value)


def photo_decisions_from_form(form) -> dict[int, PhotoDecision]:
    """One decision per photo listed in `photo_ids`: `drop-<id>` drops it, `boxes-<id>` holds the boxes
    (JSON written by the box editor)."""
    decisions = {}
    for raw_id in form.getlist("photo_ids"):
        photo_id = _photo_id(raw_id)
        if form.get(f"drop-{photo_id}"):
            decisions[photo_id] = PhotoDecision(drop=True)
            continue
        try:
            boxes = json.loads(form.get(f"boxes-{photo_id}") or "[]")
        except ValueError as error:
            raise InvalidField(
                "photos", _("The blur boxes of photo %(id)s are unreadable.", id=photo_id)
            ) from error
        decisions[photo_id] = PhotoDecision(boxes=boxes)
    return decisions


def photo_decisions_from_json(body: dict) -> dict[int, PhotoDecision]:
    """`"photos": {"<photo id>": {"drop": bool, "boxes": [[x, y, w, h], ...]}}`; photos left out get their
    suggested boxes blurred."""
    photos = body.get("photos") or {}
    if not isinstance(photos, dict):
        raise InvalidField("photos", _('"photos" must be an object keyed by photo id.'))
    decisions = {}
    for raw_id, decision in photos.items():
        if not isinstance(decision, dict):
            raise InvalidField("photos", _("Each photo decision is an object with drop and boxes."))
        decisions[_photo_id(raw_id)] = PhotoDecision(
            drop=bool(decision.get("drop")), boxes=decision.get("boxes") or []
        )
    return decisions


def _photo_id(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError) as error:
        raise InvalidField("photos", _("A photo id is a whole number.")) from error


def camera_id_from(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError) as error:
        raise InvalidField("camera_id", _("Choose the camera this sighting confirms.")) from error


def seen_fields_from_form(form) -> CameraFields | None:
    """The values the correction form showed (`seen_*`), to say what changed meanwhile; None if absent."""
    try:
        return _moderator_fields(
            form.get("seen_lon", ""),
            form.get("seen_lat", ""),
            form.get("seen_directions", ""),
            form.get("seen_vendor", ""),
            form.get("seen_mount"),
            form.get("seen_operator"),
        )
    except InvalidField:
        return None


def seen_fields_from_json(body: dict) -> CameraFields | None:
    seen = body.get("seen")
    if not isinstance(seen, dict):
        return None
    try:
        return _moderator_fields(
            seen.get("lon"),
            seen.get("lat"),
            seen.get("directions"),
            _text(seen.get("vendor")),
            _text(seen.get("mount")),
            _text(seen.get("operator")),
        )
    except InvalidField:
        return None


def flag_ids_from(raw) -> list[int]:
    values = raw if isinstance(raw, list) else [raw]
    try:
        return sorted({int(value) for value in values if value not in (None, "")})
    except (TypeError, ValueError) as error:
        raise InvalidField("resolve_flags", _("A flag id is a whole number.")) from error


def month_from(raw, field: str = "removed_month"):
    """An optional month (YYYY-MM) checked by the camera-field rule; None when empty."""
    return parse_month(raw if isinstance(raw, str) else None, field)
