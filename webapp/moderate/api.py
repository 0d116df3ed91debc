"""The moderation actions as JSON (for scripts and tools): verify, merge, reject a sighting.

A sighting someone else has already handled answers 409 `{"error": "already_handled", ...}`. Requests
carry the moderator's session cookie and its CSRF token (X-CSRFToken header), like the HTML forms.
"""

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth.roles import moderator_required
from webapp.errors import error_response
from webapp.extensions import db
from webapp.models import Sighting
from webapp.moderate import actions
from webapp.moderate.decisions import (
    camera_fields_from_json,
    camera_id_from,
    photo_decisions_from_json,
)

bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1/moderation")


def _body() -> dict:
    body = request.get_json(silent=True)
    if body is None and request.data:
        raise actions.ModerationError(_("The body must be a JSON object."))
    if body is not None and not isinstance(body, dict):
        raise actions.ModerationError(_("The body must be a JSON object."))
    return body or {}


def _refused(error: actions.ModerationError):
    db.session.rollback()
    code = "already_handled" if isinstance(error, actions.AlreadyHandled) else None
    return error_response(error.status, str(error), code)


def _answer(sighting_id: int):
    sighting = db.session.get(Sighting, sighting_id)
    return jsonify(sighting=sighting.id, status=sighting.status, camera=sighting.camera_id)


@bp.post("/sightings/<int:sighting_id>/verify")
@moderator_required
def verify(sighting_id: int):
    try:
        body = _body()
        sighting = db.session.get(Sighting, sighting_id)
        if sighting is None:
            raise actions.NotFound(_("No such sighting."))
        fields = camera_fields_from_json(body, actions.fields_of(sighting))
        actions.verify_sighting(sighting_id, current_user, fields, photo_decisions_from_json(body))
    except actions.ModerationError as error:
        return _refused(error)
    return _answer(sighting_id)


@bp.post("/sightings/<int:sighting_id>/merge")
@moderator_required
def merge(sighting_id: int):
    try:
        body = _body()
        camera_id = camera_id_from(body.get("camera_id"))
        actions.merge_into_camera(sighting_id, camera_id, current_user, photo_decisions_from_json(body))
    except actions.ModerationError as error:
        return _refused(error)
    return _answer(sighting_id)


@bp.post("/sightings/<int:sighting_id>/reject")
@moderator_required
def reject(sighting_id: int):
    try:
        body = _body()
        text = body.get("text")
        actions.reject_sighting(
            sighting_id, current_user, str(body.get("reason") or ""), None if text is None else str(text)
        )
    except actions.ModerationError as error:
        return _refused(error)
    return _answer(sighting_id)
