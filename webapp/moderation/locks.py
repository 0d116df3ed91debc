"""Locking what a moderation action changes (SELECT ... FOR UPDATE), and checking it may still change.

When two moderators act on the same sighting at once, the second waits for the first one's lock, then finds
the sighting no longer pending and gets AlreadyHandled (409), so no action is applied twice and none is lost.
"""

from flask_babel import gettext as _

from webapp.kernel.data.models import Camera, Photo, Sighting, User
from webapp.kernel.data.row_locks import locked
from webapp.kernel.errors import AlreadyHandled, NotAllowed, NotFound
from webapp.kernel.vocabulary import SightingStatus


def lock_pending_sighting(sighting_id: int, moderator: User) -> Sighting:
    sighting = locked(Sighting, sighting_id)
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
    camera = locked(Camera, camera_id)
    if camera is None:
        raise NotFound(_("No such camera."))
    return camera


def lock_photo(photo_id: int) -> Photo | None:
    return locked(Photo, photo_id)
