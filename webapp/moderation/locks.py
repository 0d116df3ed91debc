"""Locking what a moderation action changes (SELECT ... FOR UPDATE), and checking it may still change.

When two moderators act on the same sighting at once, the second waits for the first one's lock, then finds
the sighting no longer pending and gets AlreadyHandled (409), so no action is applied twice and none is lost.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.kernel.errors import AlreadyHandled, NotAllowed, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.models import Camera, Photo, Sighting, User
from webapp.kernel.vocabulary import SightingStatus


def _locked(model, row_id: int):
    return db.session.scalar(
        select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
    )


def lock_pending_sighting(sighting_id: int, moderator: User) -> Sighting:
    sighting = _locked(Sighting, sighting_id)
    if sighting is None:
        raise NotFound(_("No such sighting."))
    if sighting.submitter_id is not None and sighting.submitter_id == moderator.id:
        raise NotAllowed(_("You reported this sighting yourself: another moderator has to review it."))
    if sighting.status != SightingStatus.PENDING:
        raise AlreadyHandled(
            _("This sighting was already handled (it is %(status)s).", status=sighting.status)
        )
    return sighting


def lock_camera(camera_id: int) -> Camera:
    camera = _locked(Camera, camera_id)
    if camera is None:
        raise NotFound(_("No such camera."))
    return camera


def lock_photo(photo_id: int) -> Photo | None:
    return _locked(Photo, photo_id)
