"""Serving photos by content hash (URLs carry no row id).

The public route answers only for a photo that is published (its sighting verified or merged, the photo
public), whose camera is verified and whose photos are not hidden by an open "personal information" flag;
anything else is a 404 that looks like a photo that never existed. Moderators see unpublished photos through
their own route, never cached, read from the database (one variant of one photo per request).
"""

from flask import Response, abort, request
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.kernel.data.models import Photo
from webapp.kernel.extensions import db
from webapp.kernel.http.access import moderator_required
from webapp.photos.blueprint import bp
from webapp.photos.pending import pending_variant
from webapp.photos.published import public_photo as published_photo
from webapp.photos.storage import photo_storage

VARIANTS = ("display", "thumb")


def _key(photo: Photo, variant: str) -> str:
    return photo.display_key if variant == "display" else photo.thumb_key


def _send(photo: Photo, variant: str, cache_control: str, data: bytes | None = None) -> Response:
    if data is None:
        try:
            data = photo_storage().read(_key(photo, variant))
        except (FileNotFoundError, ValueError):
            abort(404, description=_("No such photo."))
    response = Response(data, mimetype="image/jpeg")
    response.headers["Cache-Control"] = cache_control
    response.set_etag(f"{photo.content_hash}-{variant}")
    return response.make_conditional(request)


@bp.get("/photos/<string(length=64):content_hash>/<any(display, thumb):variant>.jpg")
def public_photo(content_hash: str, variant: str):
    photo = published_photo(content_hash)
    if photo is None:
        abort(404, description=_("No such photo."))
    # no-cache: every use revalidates (cheap, by ETag), so hiding a camera or its photos takes effect at once.
    return _send(photo, variant, "public, no-cache")


@bp.get("/moderate/photos/<string(length=64):content_hash>/<any(display, thumb):variant>.jpg")
@moderator_required
def review_photo(content_hash: str, variant: str):
    photo = db.session.scalar(select(Photo).where(Photo.content_hash == content_hash).limit(1))
    if photo is None:
        abort(404, description=_("No such photo."))
    return _send(photo, variant, "private, no-store", pending_variant(photo.id, variant))
