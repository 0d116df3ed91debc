"""Moderator pages: the queue, one sighting's review (photos with blur boxes, map, candidates, actions),
a camera's history and status actions. Errors (a stale or bad decision) are answered by the one handler in
webapp.kernel.errors; each action commits once it is done."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from webapp.camera_fields.vendors import BY_SLUG
from webapp.kernel.data.audit import camera_history, events_for
from webapp.kernel.data.models import Camera, OsmElement, Sighting
from webapp.kernel.data.row_locks import seen_version
from webapp.kernel.data.transactions import commit
from webapp.kernel.errors import InvalidField
from webapp.kernel.extensions import db
from webapp.kernel.http.access import moderator_required
from webapp.kernel.vocabulary import MOUNT_LABELS, REJECT_REASON_LABELS
from webapp.moderation import camera_status, groups, sightings
from webapp.moderation.blueprint import bp
from webapp.moderation.camera_corrections import correct_camera, open_flags_of
from webapp.moderation.camera_facts import fields_of_camera
from webapp.moderation.osm.review import differing_fields
from webapp.moderation.queue import PAGE_SIZE, area_choices, count_pending, parse_filters, queue_item
from webapp.moderation.request_parsing import (
    camera_fields_from_form,
    camera_id_from,
    flag_ids_from,
    month_from,
    photo_decisions_from_form,
    seen_fields_from_form,
)
from webapp.photos.published import published_photos
from webapp.photos.redaction import suggested_boxes

# The moderator's last rejection (sighting ids), which the queue offers to undo until the next one.
UNDOABLE_REJECTION = "undoable_rejection"


def merged_message(camera: Camera) -> str:
    return ngettext(
        "Merged: camera %(id)s now has %(num)d confirmation.",
        "Merged: camera %(id)s now has %(num)d confirmations.",
        camera.confirmations,
        id=camera.id,
    )


@bp.get("")
@moderator_required
def queue():
    filters = parse_filters(request.args)
    page_groups, more = groups.pending_groups(filters)
    states, counties = area_choices(filters)
    return render_template(
        "moderation/queue.html",
        states=states,
        counties=counties,
        undoable=session.get(UNDOABLE_REJECTION, []),
        groups=page_groups,
        more=more,
        total=count_pending(filters),
        filters=filters,
        page_size=PAGE_SIZE,
        vendors=BY_SLUG.values(),
    )


@bp.get("/groups")
@moderator_required
def review_group():
    group = groups.load_group(groups.parse_group_ids(request.args.getlist("ids")))
    return render_template(
        "moderation/group.html",
        group=group,
        item=group.first,
        suggested=groups.suggested_fields(group),
        # "I saw this camera too": the cameras the reports name lead the page.
        claimed={item.sighting.camera_id for item in group.items if item.sighting.camera_id},
        claimed_reports=sum(1 for item in group.items if item.sighting.camera_id),
        pending=all(item.sighting.is_pending for item in group.items),
        own=any(
            item.sighting.submitter_id is not None and item.sighting.submitter_id == current_user.id
            for item in group.items
        ),
        boxes_of={photo.id: suggested_boxes(photo) for photo in group.photos},
        vendors=BY_SLUG.values(),
        mounts=MOUNT_LABELS,
        reject_reasons=REJECT_REASON_LABELS,
    )


@bp.post("/groups/verify")
@moderator_required
def verify_group():
    ids = groups.parse_group_ids(request.form.getlist("sighting_ids"))
    camera = groups.verify_group(
        ids, current_user, camera_fields_from_form(request.form), photo_decisions_from_form(request.form)
    )
    commit()
    flash(
        ngettext(
            "Verified: %(num)d report, camera %(id)s is on the map.",
            "Verified: %(num)d reports, camera %(id)s is on the map.",
            len(ids),
            id=camera.id,
        )
    )
    return redirect(url_for("moderation.queue"), 303)


@bp.post("/groups/merge")
@moderator_required
def merge_group():
    ids = groups.parse_group_ids(request.form.getlist("sighting_ids"))
    camera = groups.merge_group(
        ids,
        camera_id_from(request.form.get("camera_id")),
        current_user,
        photo_decisions_from_form(request.form),
    )
    commit()
    flash(merged_message(camera))
    return redirect(url_for("moderation.queue"), 303)


@bp.post("/groups/reject")
@moderator_required
def reject_group():
    ids = groups.parse_group_ids(request.form.getlist("sighting_ids"))
    groups.reject_group(ids, current_user, request.form.get("reason", ""), request.form.get("text"))
    commit()
    session[UNDOABLE_REJECTION] = ids
    return redirect(url_for("moderation.queue"), 303)


@bp.get("/sightings/<id:sighting_id>")
@moderator_required
def review(sighting_id: int):
    sighting = db.get_or_404(Sighting, sighting_id, description=_("No such sighting."))
    return render_template(
        "moderation/review.html",
        item=queue_item(sighting),
        proposed=sightings.fields_of(sighting),
        # Computed for the page, never stored by it: a GET changes nothing (`flask moderation suggest-boxes`
        # stores them ahead of review, verifying stores what the moderator kept).
        boxes_of={photo.id: suggested_boxes(photo) for photo in sighting.photos},
        own=sighting.submitter_id is not None and sighting.submitter_id == current_user.id,
        history=events_for("sighting", sighting.id),
        vendors=BY_SLUG.values(),
        mounts=MOUNT_LABELS,
        reject_reasons=REJECT_REASON_LABELS,
    )


@bp.post("/sightings/<id:sighting_id>/verify")
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


@bp.post("/sightings/<id:sighting_id>/merge")
@moderator_required
def merge(sighting_id: int):
    camera = sightings.merge_into_camera(
        sighting_id,
        camera_id_from(request.form.get("camera_id")),
        current_user,
        photo_decisions=photo_decisions_from_form(request.form),
    )
    commit()
    flash(merged_message(camera))
    return redirect(url_for("moderation.queue"), 303)


@bp.post("/sightings/<id:sighting_id>/reject")
@moderator_required
def reject(sighting_id: int):
    sightings.reject_sighting(
        sighting_id, current_user, request.form.get("reason", ""), request.form.get("text")
    )
    commit()
    session[UNDOABLE_REJECTION] = [sighting_id]
    return redirect(url_for("moderation.queue"), 303)


@bp.post("/rejections/undo")
@moderator_required
def undo_rejection():
    ids = session.pop(UNDOABLE_REJECTION, [])
    reopened = sightings.reopen_sightings(ids, current_user)
    commit()
    flash(
        ngettext(
            "%(num)d report is back in the queue.", "%(num)d reports are back in the queue.", len(reopened)
        )
    )
    return redirect(url_for("moderation.queue"), 303)


@bp.get("/cameras/<id:camera_id>")
@moderator_required
def camera(camera_id: int):
    return _camera_page(camera_id)


def _camera_page(camera_id: int, typed=None, refusal: InvalidField | None = None) -> str:
    """The camera's moderation page; after a refused correction, with the moderator's edits (`typed`, the
    form as sent) and the reason."""
    camera = db.get_or_404(Camera, camera_id, description=_("No such camera."))
    element = db.session.get(OsmElement, camera.id)
    return render_template(
        "moderation/camera.html",
        typed=typed,
        refusal=refusal,
        camera=camera,
        fields=fields_of_camera(camera),
        element=element,
        differing=differing_fields(camera, element) if element else [],
        open_flags=open_flags_of(camera.id),
        allowed_actions=camera_status.allowed_actions(camera),
        photos=published_photos(camera.id),
        history=camera_history(camera.id),
        vendors=BY_SLUG.values(),
        mounts=MOUNT_LABELS,
    )


@bp.post("/cameras/<id:camera_id>/correct")
@moderator_required
def correct(camera_id: int):
    # A field the rules refuse (a direction of 400°) shows the form again with the edits and why, like a
    # refused report: nothing was changed yet, so there is nothing to roll back.
    try:
        fields = camera_fields_from_form(request.form)
    except InvalidField as refusal:
        return _camera_page(camera_id, typed=request.form, refusal=refusal), refusal.status
    camera = correct_camera(
        camera_id,
        current_user,
        fields,
        seen_version(request.form.get("version")),
        seen=seen_fields_from_form(request.form),
        resolve_flag_ids=flag_ids_from(request.form.getlist("resolve_flags")),
        reason=request.form.get("reason"),
    )
    commit()
    flash(_("Camera %(id)s is corrected.", id=camera.id))
    return redirect(url_for("moderation.camera", camera_id=camera.id), 303)


@bp.post("/cameras/<id:camera_id>/<any(hide, remove, restore):action>")
@moderator_required
def camera_action(camera_id: int, action: str):
    camera = camera_status.change_camera_status(
        camera_id,
        current_user,
        action,
        request.form.get("reason"),
        removed_month=month_from(request.form.get("removed_month")),
    )
    commit()
    flash(_("Camera %(id)s is now %(status)s.", id=camera.id, status=camera.status))
    return redirect(url_for("moderation.camera", camera_id=camera.id), 303)


@bp.post("/photos/<id:photo_id>/drop")
@moderator_required
def drop_photo(photo_id: int):
    camera_id = request.form.get("camera_id", type=int)
    camera_status.drop_published_photo(photo_id, current_user, request.form.get("reason"))
    commit()
    flash(_("The photo is deleted."))
    if camera_id:
        return redirect(url_for("moderation.camera", camera_id=camera_id), 303)
    return redirect(url_for("moderation.queue"), 303)
