"""Moderator pages: the queue, one sighting's review (photos with blur boxes, map, candidates, actions),
a camera's history and status actions. Errors (a stale or bad decision) are answered by the one handler in
webapp.kernel.errors; each action commits once it is done."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.camera_fields.vendors import BY_SLUG
from webapp.kernel.access import moderator_required
from webapp.kernel.audit import camera_history, events_for
from webapp.kernel.extensions import db
from webapp.kernel.models import Camera, Sighting
from webapp.kernel.transactions import commit
from webapp.kernel.vocabulary import MOUNT_LABELS, REJECT_REASON_LABELS
from webapp.moderation import camera_status, sightings
from webapp.moderation.queue import PAGE_SIZE, count_pending, parse_filters, pending_sightings, queue_item
from webapp.moderation.request_parsing import (
    camera_fields_from_form,
    camera_id_from,
    photo_decisions_from_form,
)
from webapp.photos.published import published_photos
from webapp.photos.redaction import suggested_boxes

bp = Blueprint("moderation", __name__, url_prefix="/moderate")


@bp.get("")
@moderator_required
def queue():
    filters = parse_filters(request.args)
    return render_template(
        "moderation/queue.html",
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
    return render_template(
        "moderation/review.html",
        item=queue_item(sighting),
        # Computed for the page, never stored by it: a GET changes nothing (`flask moderation suggest-boxes`
        # stores them ahead of review, verifying stores what the moderator kept).
        boxes_of={photo.id: suggested_boxes(photo) for photo in sighting.photos},
        own=sighting.submitter_id is not None and sighting.submitter_id == current_user.id,
        history=events_for("sighting", sighting.id),
        vendors=BY_SLUG.values(),
        mounts=MOUNT_LABELS,
        reject_reasons=REJECT_REASON_LABELS,
    )


@bp.post("/sightings/<int:sighting_id>/verify")
@moderator_required
def verify(sighting_id: int):
    camera = sightings.verify_sighting(
        sighting_id,
        current_user,
        fields=camera_fields_from_form(request.form),
        photo_decisions=photo_decisions_from_form(request.form),
    )
    commit()
    flash(_("Verified: camera %(id)s is on the map.", id=camera.id))
    return redirect(url_for("moderation.queue"), 303)


@bp.post("/sightings/<int:sighting_id>/merge")
@moderator_required
def merge(sighting_id: int):
    camera = sightings.merge_into_camera(
        sighting_id,
        camera_id_from(request.form.get("camera_id")),
        current_user,
        photo_decisions=photo_decisions_from_form(request.form),
    )
    commit()
    flash(
        _("Merged: camera %(id)s now has %(count)s confirmations.", id=camera.id, count=camera.confirmations)
    )
    return redirect(url_for("moderation.queue"), 303)


@bp.post("/sightings/<int:sighting_id>/reject")
@moderator_required
def reject(sighting_id: int):
    sightings.reject_sighting(
        sighting_id, current_user, request.form.get("reason", ""), request.form.get("text")
    )
    commit()
    flash(_("Rejected."))
    return redirect(url_for("moderation.queue"), 303)


@bp.get("/cameras/<int:camera_id>")
@moderator_required
def camera(camera_id: int):
    camera = db.get_or_404(Camera, camera_id, description=_("No such camera."))
    return render_template(
        "moderation/camera.html",
        camera=camera,
        allowed_actions=camera_status.allowed_actions(camera),
        photos=published_photos(camera.id),
        history=camera_history(camera.id),
    )


@bp.post("/cameras/<int:camera_id>/<any(hide, remove, restore):action>")
@moderator_required
def camera_action(camera_id: int, action: str):
    camera = camera_status.change_camera_status(camera_id, current_user, action, request.form.get("reason"))
    commit()
    flash(_("Camera %(id)s is now %(status)s.", id=camera.id, status=camera.status))
    return redirect(url_for("moderation.camera", camera_id=camera.id), 303)


@bp.post("/photos/<int:photo_id>/drop")
@moderator_required
def drop_photo(photo_id: int):
    camera_id = request.form.get("camera_id", type=int)
    camera_status.drop_published_photo(photo_id, current_user, request.form.get("reason"))
    commit()
    flash(_("The photo is deleted."))
    if camera_id:
        return redirect(url_for("moderation.camera", camera_id=camera_id), 303)
    return redirect(url_for("moderation.queue"), 303)
