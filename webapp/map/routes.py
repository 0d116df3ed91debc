"""The public map page and its offline gazetteer."""

from flask import Blueprint, current_app, render_template, request

from webapp.kernel.security import with_script_nonces
from webapp.map.density_map import density_map, map_parts
from webapp.map.gazetteer import gazetteer_gzip, gazetteer_json

bp = Blueprint("map", __name__)


@bp.get("/")
def index():
    parts = map_parts(density_map())
    return render_template(
        "map/index.html",
        map_header=with_script_nonces(parts["header"]),
        map_body=with_script_nonces(parts["body"]),
        map_script=parts["script"],
    )


@bp.get("/map/gazetteer.json")
def gazetteer():
    # The file is stored gzipped; nearly every client takes it as it is.
    if "gzip" in request.accept_encodings:
        response = current_app.response_class(gazetteer_gzip(), mimetype="application/json")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = current_app.response_class(gazetteer_json(), mimetype="application/json")
    response.headers["Vary"] = "Accept-Encoding"
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
