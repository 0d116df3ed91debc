"""Open-data routes under /api/v1: cameras by area, the count in a map view, and the full exports."""

from flask import Blueprint, Response, jsonify, request, stream_with_context

from webapp.geo.bbox import parse_bbox
from webapp.geo.public_cameras import all_citable_cameras, all_removed_cameras, cameras_in_bbox, count_in_view
from webapp.opendata.formats import (
    csv_stream,
    feature_collection,
    geojson_stream,
    kml_stream,
    removed_csv_stream,
)
from webapp.opendata.licence import ATTRIBUTION, LICENCE, licence_headers

bp = Blueprint("opendata", __name__, url_prefix="/api/v1")

EXPORTS = {
    "geojson": (geojson_stream, "application/geo+json"),
    "csv": (csv_stream, "text/csv"),
    "kml": (kml_stream, "application/vnd.google-earth.kml+xml"),
}


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
    serialise, mimetype = EXPORTS[export_format]
    # The generator runs after this function returns: stream_with_context keeps the app context (and the
    # database session with its server-side cursor) alive until the last byte.
    response = Response(stream_with_context(serialise(all_citable_cameras())), mimetype=mimetype)
    response.headers.update(licence_headers())
    response.headers["Content-Disposition"] = f'attachment; filename="sightline-cameras.{export_format}"'
    return _cacheable(response, seconds=300)


@bp.get("/cameras/removed.csv")
def removed_export():
    """Cameras confirmed taken down, with the month (issue 12; the integrator moves it beside the other
    full exports' files)."""
    response = Response(stream_with_context(removed_csv_stream(all_removed_cameras())), mimetype="text/csv")
    response.headers.update(licence_headers())
    response.headers["Content-Disposition"] = 'attachment; filename="sightline-removed-cameras.csv"'
    return _cacheable(response, seconds=300)


def _cacheable(response: Response, seconds: int) -> Response:
    """The same answer for everyone: browsers and CDNs may keep it (and it does not vary on the cookie)."""
    response.cache_control.public = True
    response.cache_control.max_age = seconds
    return response
