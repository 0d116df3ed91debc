"""The public map page, its embeddable twin (/embed, the one page other sites may frame), a static PNG of a
view (/map.png) and the offline gazetteer."""

import hashlib
from datetime import UTC, datetime

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _

from webapp.kernel.http.ratelimit import limiter
from webapp.kernel.http.security import frameable, with_script_nonces
from webapp.kernel.http.sessions import cookieless
from webapp.map.blueprint import bp
from webapp.map.cited_view import IMAGE_LAYERS, parse_view
from webapp.map.density_map import density_map, embed_settings, map_parts
from webapp.map.gazetteer import gazetteer_gzip, gazetteer_json
from webapp.map.view_image import ImageRequest, image_size, view_png


@bp.get("/")
def index():
    parts = map_parts(density_map())
    return render_template(
        "map/index.html",
        map_header=with_script_nonces(parts["header"]),
        map_body=with_script_nonces(parts["body"]),
        map_script=parts["script"],
    )


@bp.get("/embed")
@frameable
@cookieless
def embed():
    view = parse_view(request.args)
    parts = map_parts(density_map(embed_settings(view)))
    return render_template(
        "map/embed.html",
        map_header=with_script_nonces(parts["header"]),
        map_body=with_script_nonces(parts["body"]),
        map_script=parts["script"],
        main_map_url=url_for("map.index") + view.map_fragment(),
        today=datetime.now(UTC).date(),
    )


def _map_image_limit() -> str:
    return current_app.config["RATELIMIT_MAP_IMAGE"]


@bp.get("/map.png")
@limiter.limit(
    _map_image_limit,
    scope="map-image",
    error_message=lambda: _("You have asked for many map images. Please try later."),
)
def view_image():
    view = parse_view(request.args, layers=IMAGE_LAYERS)
    width, height = image_size(request.args)
    data = view_png(ImageRequest(view, width, height))
    response = current_app.response_class(data, mimetype="image/png")
    response.set_etag(hashlib.blake2b(data, digest_size=16).hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["TILE_MAX_AGE"]
    return response.make_conditional(request)


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
