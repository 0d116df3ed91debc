"""Reading a moderator's decision (corrected camera fields, photo boxes and drops) from an HTML form or a
JSON body into the plain values webapp/moderate/actions.py takes."""

import json

from flask_babel import gettext as _

from webapp.moderate.actions import CameraFields, ModerationError, PhotoDecision


def _directions(raw) -> list:
    if raw is None:
        return []
    if isinstance(raw, list):
        return raw
    return [part for part in str(raw).replace(";", ",").replace(" ", ",").split(",") if part]


def camera_fields_from_form(form) -> CameraFields:
    return CameraFields(
        lon=form.get("lon", ""),
        lat=form.get("lat", ""),
        directions=_directions(form.get("directions", "")),
        vendor=form.get("vendor", ""),
        operator=form.get("operator"),
        mount=form.get("mount") or None,
    )


def camera_fields_from_json(body: dict, defaults: CameraFields) -> CameraFields:
    """The sighting's own values, overridden by whatever the body's "fields" object corrects."""
    fields = body.get("fields") or {}
    if not isinstance(fields, dict):
        raise ModerationError(_('"fields" must be an object.'))
    return CameraFields(
        lon=fields.get("lon", defaults.lon),
        lat=fields.get("lat", defaults.lat),
        directions=_directions(fields.get("directions", defaults.directions)),
        vendor=_text(fields.get("vendor", defaults.vendor)),
        operator=_text(fields.get("operator", defaults.operator)),
        mount=_text(fields.get("mount", defaults.mount)),
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
            raise ModerationError(_("The blur boxes of photo %(id)s are unreadable.", id=photo_id)) from error
        decisions[photo_id] = PhotoDecision(boxes=boxes)
    return decisions


def photo_decisions_from_json(body: dict) -> dict[int, PhotoDecision]:
    """`"photos": {"<photo id>": {"drop": bool, "boxes": [[x, y, w, h], ...]}}`; photos left out get their
    suggested boxes blurred."""
    photos = body.get("photos") or {}
    if not isinstance(photos, dict):
        raise ModerationError(_('"photos" must be an object keyed by photo id.'))
    decisions = {}
    for raw_id, decision in photos.items():
        if not isinstance(decision, dict):
            raise ModerationError(_("Each photo decision is an object with drop and boxes."))
        decisions[_photo_id(raw_id)] = PhotoDecision(
            drop=bool(decision.get("drop")), boxes=decision.get("boxes") or []
        )
    return decisions


def _photo_id(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError) as error:
        raise ModerationError(_("A photo id is a whole number.")) from error


def camera_id_from(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError) as error:
        raise ModerationError(_("Choose the camera this sighting confirms.")) from error
