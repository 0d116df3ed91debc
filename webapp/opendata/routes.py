"""Open-data routes under /api/v1: cameras by area, the count in a map view, and the full exports (files
written when the data changes, served with ETag and Range: webapp.opendata.export_files)."""

from flask import Blueprint, Response, jsonify, request, send_file

from webapp.geo.bbox import parse_bbox
from webapp.geo.public_cameras import cameras_in_bbox, count_in_view
from webapp.opendata.export_files import CAMERA_EXPORTS, ExportSet, current_export
from webapp.opendata.formats import feature_collection
from webapp.opendata.licence import ATTRIBUTION, LICENCE, licence_headers

bp = Blueprint("opendata", __name__, url_prefix="/api/v1")
EXPORT_MAX_AGE = 300


@bp.get("/cameras")
def cameras_in_area():
    rows = cameras_in_bbox(parse_bbox(request.args.get("bbox")))
    response = jsonify(feature_collection(rows))
    response.mimetype = "application/geo+json"
    response.headers.update(licence_headers())
    return _cacheable(response, seconds=60)


@bp.get("/cameras/count")
def cameras_count():
    count = count_in_view(parse_bbox(request.args.get("bbox")))
    response = jsonify(cameras=count.cameras, exact=count.exact, licence=LICENCE, attribution=ATTRIBUTION)
    return _cacheable(response, seconds=60)


@bp.get("/cameras.<any(geojson, csv, kml):export_format>")
def export(export_format: str):
    return send_export(export_format)


@bp.get("/cameras/removed.csv")
def removed_export():
    """Cameras confirmed taken down from the street, with the month (written with the other exports)."""
    return send_export("removed-csv")


def send_export(name: str, export_set: ExportSet = CAMERA_EXPORTS) -> Response:
    """One file of an export set as it was last written (every export route of the app answers this)."""
    export_file = current_export(name, export_set)
    # conditional: If-None-Match / If-Modified-Since answer 304, Range answers 206 (a download can resume).
    response = send_file(
        export_file.path,
        mimetype=export_file.mimetype,
        as_attachment=True,
        download_name=export_set.formats[name].download_name,
        conditional=True,
        etag=export_file.etag,
        last_modified=export_file.generated_at,
        max_age=EXPORT_MAX_AGE,
    )
    response.headers.update(licence_headers())
    response.headers["Sightline-Data-Date"] = export_file.data_date
    return _cacheable(response, seconds=EXPORT_MAX_AGE)


def _cacheable(response: Response, seconds: int) -> Response:
    """The same answer for everyone: browsers and CDNs may keep it (and it does not vary on the cookie)."""
    response.cache_control.public = True
    response.cache_control.max_age = seconds
    return response
