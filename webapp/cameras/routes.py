"""Public camera pages: /cameras/<id> (the map links here as `cameras.camera_page`)."""

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.cameras.page import public_camera
from webapp.cameras.vendors import vendor_name
from webapp.flags.service import FLAG_REASON_LABELS

bp = Blueprint("cameras", __name__)

MOUNT_LABELS = {
    "pole": _l("On its own pole"),
    "traffic_signal": _l("On a traffic signal"),
    "overpass": _l("On an overpass or gantry"),
    "building": _l("On a building"),
    "other": _l("Other"),
}
SOURCE_LABELS = {"report": _l("Community report"), "osm": _l("OpenStreetMap")}


@bp.app_template_global("vendor_name")
def _vendor_name(slug: str) -> str:
    return vendor_name(slug)


@bp.get("/cameras/<int:camera_id>")
def camera_page(camera_id: int):
    camera = public_camera(camera_id)
    if camera is None:
        abort(404, description=_("There is no public camera with this number."))
    return render_template(
        "cameras/page.html",
        camera=camera,
        mount_label=MOUNT_LABELS.get(camera.mount) if camera.mount else None,
        source_label=SOURCE_LABELS.get(camera.source, camera.source),
        flag_reasons=FLAG_REASON_LABELS,
    )
