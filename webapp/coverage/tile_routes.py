"""GET /tiles/areas/{kind}/{z}/{x}/{y}.pbf: the choropleth's vector tiles (webapp.coverage.choropleth), with
ETag and Cache-Control like the density tiles."""

import hashlib

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from webapp.coverage.api import area_kind
from webapp.coverage.choropleth import area_tile
from webapp.kernel.errors import error_response
from webapp.kernel.quiet_routes import quiet_blueprint
from webapp.tiles.routes import MVT_MEDIA_TYPE
from webapp.tiles.tiles import TileAddress, TileOutOfRange

# Quiet: a map page fetches its tiles right after it loads, so their log lines would time every visit.
bp = quiet_blueprint(Blueprint("coverage_tiles", __name__))


@bp.get("/tiles/areas/<kind>/<z>/<x>/<y>.pbf")
def area_tiles(kind: str, z: str, x: str, y: str):
    kind_of_area = area_kind(kind)
    try:
        address = TileAddress.parse(z, x, y)
    except TileOutOfRange as error:
        return error_response(400, _("Invalid tile address: %(reason)s.", reason=str(error)))
    data = area_tile(kind_of_area, address.z, address.x, address.y)
    response = current_app.response_class(data, mimetype=MVT_MEDIA_TYPE)
    response.set_etag(hashlib.blake2b(data, digest_size=16).hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["TILE_MAX_AGE"]
    return response.make_conditional(request)
