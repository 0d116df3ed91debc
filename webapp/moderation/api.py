"""The moderation actions as JSON (for scripts and tools): verify, merge, reject a sighting.

A sighting someone else has already handled answers 409 `{"error": "already_handled", ...}`. Requests
carry the moderator's session cookie and its CSRF token (X-CSRFToken header), like the HTML forms.
"""

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.kernel.access import moderator_required
from webapp.kernel.errors import NotFound
from webapp.kernel.extensions import db
from webapp.kernel.models import Sighting
from webapp.kernel.transactions import commit
from webapp.moderation import sightings
from webapp.moderation.request_parsing import (
    camera_fields_from_json,
    camera_id_from,
    json_body,
    photo_decisions_from_json,
)

bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1/moderation")


def _answer(sighting: Sighting):
    commit()
    return jsonify(sighting=sighting.id, status=sighting.status, camera=sighting.camera_id)


@bp.post("/sightings/<int:sighting_id>/verify")
@moderator_required
def verify(sighting_id: int):
    body = json_body(request)
    sighting = db.session.get(Sighting, sighting_id)
    if sighting is None:
        raise NotFound(_("No such sighting."))
    fields = camera_fields_from_json(body, sightings.fields_of(sighting))
    sightings.verify_sighting(sighting_id, current_user, fields, photo_decisions_from_json(body))
    return _answer(sighting)


@bp.post("/sightings/<int:sighting_id>/merge")
@moderator_required
def merge(sighting_id: int):
    body = json_body(request)
    sightings.merge_into_camera(
        sighting_id, camera_id_from(body.get("camera_id")), current_user, photo_decisions_from_json(body)
    )
    return _answer(db.session.get(Sighting, sighting_id))


@bp.post("/sightings/<int:sighting_id>/reject")
@moderator_required
def reject(sighting_id: int):
    body = json_body(request)
    text = body.get("text")
    sightings.reject_sighting(
        sighting_id, current_user, str(body.get("reason") or ""), None if text is None else str(text)
    )
    return _answer(db.session.get(Sighting, sighting_id))
