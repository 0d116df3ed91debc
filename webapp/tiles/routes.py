"""GET /tiles/{z}/{x}/{y}.pbf: Mapbox Vector Tiles with ETag and Cache-Control."""

import hashlib

from flask import current_app, request
from flask_babel import gettext as _

from webapp.kernel.errors import error_response
from webapp.tiles.blueprint import bp
from webapp.tiles.tiles import MVT_MEDIA_TYPE, TileAddress, TileOutOfRange, tile_for


# Plain string segments, parsed by TileAddress: "abc" or "-1" answers a clear 400 instead of a 404.
@bp.get("/tiles/<z>/<x>/<y>.pbf")
def tile(z: str, x: str, y: str):
    try:
        address = TileAddress.parse(z, x, y)
    except TileOutOfRange as error:
        return error_response(400, _("Invalid tile address: %(reason)s.", reason=str(error)))
    data = tile_for(address)
    response = current_app.response_class(data, mimetype=MVT_MEDIA_TYPE)
    response.set_etag(hashlib.blake2b(data, digest_size=16).hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["TILE_MAX_AGE"]
    return response.make_conditional(request)
