"""Moderator pages: the queue, one sighting's review (photos with blur boxes, map, candidates, actions),
a camera's history and status actions."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth.roles import moderator_required
from webapp.cameras.page import published_photos
from webapp.cameras.vendors import BY_SLUG
from webapp.errors import error_response
from webapp.extensions import db
from webapp.models import Camera, Sighting
from webapp.models.vocabulary import MOUNTS
from webapp.moderate import actions
from webapp.moderate.decisions import (
    camera_fields_from_form,
    camera_id_from,
    photo_decisions_from_form,
)
from webapp.moderate.history import camera_history, events_for
from webapp.moderate.queue import PAGE_SIZE, count_pending, parse_filters, pending_sightings, queue_item
from webapp.photos.redaction import ensure_suggestions

bp = Blueprint("moderate", __name__, url_prefix="/moderate")

CAMERA_ACTIONS = {
    "hide": actions.hide_camera,
    "remove": actions.remove_camera,
    "restore": actions.restore_camera,
}


def _refused(error: actions.ModerationError):
    db.session.rollback()
    return error_response(error.status, str(error))


@bp.get("")
@moderator_required
def queue():
    try:
        filters = parse_filters(request.args)
    except actions.ModerationError as error:
        return _refused(error)
    return render_template(
        "moderate/queue.html",
        items=pending_sightings(filters),
        total=count_pending(filters),
        filters=filters,
        page_size=PAGE_SIZE,
        vendors=BY_SLUG.values(),
    )


@bp.get("/sightings/<int:sighting_id>")
@moderator_required
def review(sighting_id: int):
    sighting = db.get_or_404(Sighting, sighting_id, description=_("No such sighting."))
    for photo in sighting.photos:
        ensure_suggestions(photo)
    db.session.commit()  # keep the detector's boxes: it is the slow part of the page
    return render_template(
        "moderate/review.html",
        item=queue_item(sighting),
        own=sighting.submitter_id is not None and sighting.submitter_id == current_user.id,
        history=events_for("sighting", sighting.id),
        vendors=BY_SLUG.values(),
        mounts=MOUNTS,
        reject_reasons=actions.REJECT_REASONS,
    )


@bp.post("/sightings/<int:sighting_id>/verify")
@moderator_required
def verify(sighting_id: int):
    try:
        camera = actions.verify_sighting(
            sighting_id,
            current_user,
            fields=camera_fields_from_form(request.form),
            photo_decisions=photo_decisions_from_form(request.form),
        )
    except actions.ModerationError as error:
        return _refused(error)
    flash(_("Verified: camera %(id)s is on the map.", id=camera.id))
    return redirect(url_for("moderate.queue"), 303)


@bp.post("/sightings/<int:sighting_id>/merge")
@moderator_required
def merge(sighting_id: int):
    try:
        camera = actions.merge_into_camera(
            sighting_id,
            camera_id_from(request.form.get("camera_id")),
            current_user,
            photo_decisions=photo_decisions_from_form(request.form),
        )
    except actions.ModerationError as error:
        return _refused(error)
    flash(
        _("Merged: camera %(id)s now has %(count)s confirmations.", id=camera.id, count=camera.confirmations)
    )
    return redirect(url_for("moderate.queue"), 303)


@bp.post("/sightings/<int:sighting_id>/reject")
@moderator_required
def reject(sighting_id: int):
    try:
        actions.reject_sighting(
            sighting_id, current_user, request.form.get("reason", ""), request.form.get("text")
        )
    except actions.ModerationError as error:
        return _refused(error)
    flash(_("Rejected."))
    return redirect(url_for("moderate.queue"), 303)


@bp.get("/cameras/<int:camera_id>")
@moderator_required
def camera(camera_id: int):
    camera = db.get_or_404(Camera, camera_id, description=_("No such camera."))
    return render_template(
        "moderate/camera.html",
        camera=camera,
        photos=published_photos(camera.id),
        history=camera_history(camera.id),
    )


@bp.post("/cameras/<int:camera_id>/<any(hide, remove, restore):action>")
@moderator_required
def camera_action(camera_id: int, action: str):
    try:
        camera = CAMERA_ACTIONS[action](camera_id, current_user, request.form.get("reason"))
    except actions.ModerationError as error:
        return _refused(error)
    flash(_("Camera %(id)s is now %(status)s.", id=camera.id, status=camera.status))
    return redirect(url_for("moderate.camera", camera_id=camera.id), 303)


@bp.post("/photos/<int:photo_id>/drop")
@moderator_required
def drop_photo(photo_id: int):
    camera_id = request.form.get("camera_id", type=int)
    try:
        actions.drop_published_photo(photo_id, current_user, request.form.get("reason"))
    except actions.ModerationError as error:
        return _refused(error)
    flash(_("The photo is deleted."))
    if camera_id:
        return redirect(url_for("moderate.camera", camera_id=camera_id), 303)
    return redirect(url_for("moderate.queue"), 303)
