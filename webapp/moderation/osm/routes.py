"""The OpenStreetMap round trip for moderators (/moderate/osm): the last imports, the cameras that differ
from OpenStreetMap, those gone from it, the proposed links, and the export back to OpenStreetMap."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.cameras.import_runs import recent_runs
from webapp.cameras.osm_export import FORMATS, WRITERS, build_export
from webapp.geo.bbox import parse_bbox
from webapp.kernel.data.row_locks import seen_version
from webapp.kernel.data.transactions import commit
from webapp.kernel.errors import InvalidField
from webapp.kernel.http.access import moderator_required
from webapp.kernel.http.public_answers import attachment
from webapp.moderation.osm import review as osm_review
from webapp.moderation.osm.blueprint import bp
from webapp.moderation.request_parsing import month_from


@bp.get("")
@moderator_required
def overview():
    return render_template(
        "moderation/osm.html",
        runs=recent_runs(),
        counts=osm_review.review_counts(),
        differing=osm_review.cameras_differing(),
        gone=osm_review.cameras_gone(),
        links=osm_review.open_link_proposals(),
    )


def _back(default_camera: int | None = None):
    if request.form.get("back") == "camera" and default_camera:
        return redirect(url_for("moderation.camera", camera_id=default_camera), 303)
    return redirect(url_for("moderation_osm.overview"), 303)


@bp.post("/cameras/<id:camera_id>/<any(keep, take):decision>")
@moderator_required
def decide_field(camera_id: int, decision: str):
    field = request.form.get("field", "")
    osm_review.decide_differing_field(
        camera_id, current_user, field, decision, seen_version(request.form.get("version"))
    )
    commit()
    flash(_("Kept ours.") if decision == "keep" else _("Took OpenStreetMap's value."))
    return _back(camera_id)


@bp.post("/cameras/<id:camera_id>/confirm-removal")
@moderator_required
def confirm_removal(camera_id: int):
    osm_review.confirm_removal(camera_id, current_user, month_from(request.form.get("removed_month")))
    commit()
    flash(_("Camera %(id)s is removed.", id=camera_id))
    return _back(camera_id)


@bp.post("/cameras/<id:camera_id>/keep-camera")
@moderator_required
def keep_camera(camera_id: int):
    osm_review.keep_gone_camera(camera_id, current_user, request.form.get("reason"))
    commit()
    flash(_("Camera %(id)s stays on the map.", id=camera_id))
    return _back(camera_id)


@bp.post("/links/<id:proposal_id>/<any(merge, dismiss):decision>")
@moderator_required
def decide_link(proposal_id: int, decision: str):
    if decision == "merge":
        camera = osm_review.merge_link(proposal_id, current_user)
        flash(_("One camera now: camera %(id)s, linked to OpenStreetMap.", id=camera.id))
    else:
        osm_review.dismiss_link(proposal_id, current_user)
        flash(_("Link dismissed: two cameras."))
    commit()
    return _back()


@bp.get("/export")
@moderator_required
def export():
    export_format = request.args.get("format") or "osm"
    if export_format not in FORMATS:
        raise InvalidField("format", _("The format is osm (JOSM) or osc (osmChange)."))
    bbox = parse_bbox(request.args.get("bbox"))
    built = build_export(bbox)
    response = Response(WRITERS[export_format](built), mimetype=FORMATS[export_format])
    attachment(response, f"sightline-to-osm.{export_format}")
    response.headers["X-Sightline-Export"] = built.summary()
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response
