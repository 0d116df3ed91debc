"""Public camera pages: /cameras/<id> (the map links here as `cameras.camera_page`)."""

from flask import abort, render_template
from flask_babel import gettext as _

from webapp.cameras.blueprint import bp
from webapp.cameras.import_runs import osm_data_as_of
from webapp.cameras.profiles import neighbours_of, public_camera
from webapp.frontend.camera_style import camera_data_attribution, camera_layer_settings
from webapp.kernel.vocabulary import CAMERA_SOURCE_LABELS, FLAG_REASON_LABELS, MOUNT_LABELS


@bp.app_context_processor
def _osm_freshness():
    # A function, so only the pages that show it (the map, coverage: cameras/_osm_data_date.html) query.
    return {"osm_data_as_of": osm_data_as_of}


@bp.get("/cameras/<id:camera_id>")
def camera_page(camera_id: int):
    camera = public_camera(camera_id)
    if camera is None:
        abort(404, description=_("There is no public camera with this number."))
    neighbours = neighbours_of(camera)
    return render_template(
        "cameras/page.html",
        camera=camera,
        neighbours=neighbours,
        map_settings=_map_settings(camera, neighbours),
        mount_label=MOUNT_LABELS.get(camera.mount) if camera.mount else None,
        source_label=CAMERA_SOURCE_LABELS.get(camera.source, camera.source),
        flag_reasons=FLAG_REASON_LABELS,
    )


def _map_settings(camera, neighbours) -> dict:
    """What camera-map.js draws: the camera tiles (this camera, its cones and its neighbours, as on the map),
    the camera itself ringed, and its neighbours (to frame them)."""
    return {
        **camera_layer_settings(),
        "attribution": camera_data_attribution(),
        "camera": {"id": camera.id, "lat": camera.lat, "lon": camera.lon},
        "neighbours": [{"lat": other.lat, "lon": other.lon} for other in neighbours],
    }
