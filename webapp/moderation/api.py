"""The moderation actions as JSON (for scripts and tools): verify, merge, reject a sighting or a group of
reports of one camera; read and correct a camera.

A sighting someone else has already handled answers 409 `{"error": "already_handled", ...}`. Requests
carry the moderator's session cookie and its CSRF token (X-CSRFToken header), like the HTML forms.
"""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.kernel.data.models import Camera, Sighting
from webapp.kernel.data.row_locks import seen_version
from webapp.kernel.data.transactions import commit
from webapp.kernel.errors import NotFound
from webapp.kernel.extensions import db
from webapp.kernel.http.access import moderator_required
from webapp.moderation import groups, sightings
from webapp.moderation.blueprint import api_bp as bp
from webapp.moderation.camera_corrections import correct_camera, current_state
from webapp.moderation.camera_facts import fields_of_camera
from webapp.moderation.request_parsing import (
    camera_fields_from_json,
    camera_id_from,
    flag_ids_from,
    json_body,
    photo_decisions_from_json,
    seen_fields_from_json,
)


def _answer(sighting: Sighting):
    commit()
    return jsonify(sighting=sighting.id, status=sighting.status, camera=sighting.camera_id)


@bp.post("/sightings/<id:sighting_id>/verify")
@moderator_required
def verify(sighting_id: int):
    body = json_body(request)
    sighting = db.session.get(Sighting, sighting_id)
    if sighting is None:
        raise NotFound(_("No such sighting."))
    fields = camera_fields_from_json(body, sightings.fields_of(sighting))
    sightings.verify_sighting(sighting_id, current_user, fields, photo_decisions_from_json(body))
    return _answer(sighting)


@bp.post("/sightings/<id:sighting_id>/merge")
@moderator_required
def merge(sighting_id: int):
    body = json_body(request)
    sightings.merge_into_camera(
        sighting_id, camera_id_from(body.get("camera_id")), current_user, photo_decisions_from_json(body)
    )
    return _answer(db.session.get(Sighting, sighting_id))


@bp.post("/sightings/<id:sighting_id>/reject")
@moderator_required
def reject(sighting_id: int):
    body = json_body(request)
    text = body.get("text")
    sightings.reject_sighting(
        sighting_id, current_user, str(body.get("reason") or ""), None if text is None else str(text)
    )
    return _answer(db.session.get(Sighting, sighting_id))


def _group_answer(ids: list[int], camera_id: int | None):
    commit()
    rows = {
        sighting.id: sighting for sighting in db.session.scalars(select(Sighting).where(Sighting.id.in_(ids)))
    }
    return jsonify(
        sightings=[{"sighting": sighting_id, "status": rows[sighting_id].status} for sighting_id in ids],
        camera=camera_id,
    )


@bp.post("/groups/verify")
@moderator_required
def verify_group():
    body = json_body(request)
    ids = groups.parse_group_ids(body.get("sightings"))
    defaults = groups.suggested_fields(groups.load_group(ids))
    fields = camera_fields_from_json(body, defaults)
    camera = groups.verify_group(ids, current_user, fields, photo_decisions_from_json(body))
    return _group_answer(ids, camera.id)


@bp.post("/groups/merge")
@moderator_required
def merge_group():
    body = json_body(request)
    ids = groups.parse_group_ids(body.get("sightings"))
    camera = groups.merge_group(
        ids, camera_id_from(body.get("camera_id")), current_user, photo_decisions_from_json(body)
    )
    return _group_answer(ids, camera.id)


@bp.post("/groups/reject")
@moderator_required
def reject_group():
    body = json_body(request)
    ids = groups.parse_group_ids(body.get("sightings"))
    text = body.get("text")
    groups.reject_group(ids, current_user, str(body.get("reason") or ""), None if text is None else str(text))
    return _group_answer(ids, None)


def _camera(camera_id: int) -> Camera:
    camera = db.session.get(Camera, camera_id)
    if camera is None:
        raise NotFound(_("No such camera."))
    return camera


@bp.get("/cameras/<id:camera_id>")
@moderator_required
def camera(camera_id: int):
    return jsonify(current_state(_camera(camera_id)))


@bp.post("/cameras/<id:camera_id>/correct")
@moderator_required
def correct(camera_id: int):
    body = json_body(request)
    fields = camera_fields_from_json(body, fields_of_camera(_camera(camera_id)))
    camera = correct_camera(
        camera_id,
        current_user,
        fields,
        seen_version(body.get("version")),
        seen=seen_fields_from_json(body),
        resolve_flag_ids=flag_ids_from(body.get("resolve_flags") or []),
        reason=body.get("reason") if isinstance(body.get("reason"), str) else None,
    )
    commit()
    return jsonify(current_state(camera))
