"""What verifying or merging a sighting does to its photos: each is dropped, or published with the
moderator's blur boxes baked in (the unblurred files are deleted once the transaction commits)."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from webapp.kernel.data.audit import record_event
from webapp.kernel.data.models import Photo, Sighting, User
from webapp.kernel.errors import AlreadyHandled, InvalidInput
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AuditAction
from webapp.photos import redaction
from webapp.photos.files import obsolete_after_commit


@dataclass
class PhotoDecision:
    """Drop the photo, or publish it with these boxes ([x, y, w, h] in display pixels) blurred."""

    drop: bool = False
    boxes: list = field(default_factory=list)


def delete_photo(photo: Photo) -> None:
    """Delete the row in this transaction and its files once it commits."""
    obsolete_after_commit([photo.display_key, photo.thumb_key])
    db.session.delete(photo)


def release_photos(sighting: Sighting, decisions: dict[int, PhotoDecision] | None, moderator: User) -> None:
    """Blur and publish (or drop) every photo of the sighting. Photos without a decision get their
    suggested boxes blurred: the safe default."""
    decisions = decisions or {}
    photos = {photo.id: photo for photo in sighting.photos}
    unknown = set(decisions) - set(photos)
    if unknown:
        raise InvalidInput(
            _("Photo %(id)s does not belong to this sighting.", id=min(unknown)), field="photos"
        )
    # Every decision is checked before the first file is written, so a bad box leaves no file behind.
    boxes_of: dict[int, list] = {}
    for photo_id, photo in photos.items():
        decision = decisions.get(photo_id) or PhotoDecision(boxes=list(redaction.ensure_suggestions(photo)))
        if decision.drop:
            continue
        try:
            boxes_of[photo_id] = redaction.clean_boxes(decision.boxes, photo.width, photo.height)
        except ValueError as error:
            raise InvalidInput(
                _("Photo %(id)s: %(error)s", id=photo_id, error=error), field="photos"
            ) from error
    for photo_id, photo in photos.items():
        if photo_id not in boxes_of:
            delete_photo(photo)
            sighting.photos.remove(photo)
            record_event(
                moderator, AuditAction.DROP_PHOTO, "sighting", sighting.id, reason=f"photo {photo_id}"
            )
            continue
        boxes = boxes_of[photo_id]
        try:
            redaction.bake_blur(photo, boxes)
        except FileNotFoundError as error:
            raise AlreadyHandled(
                _("The file of photo %(id)s is gone: drop the photo to go on.", id=photo_id)
            ) from error
        photo.public = True
        if boxes:
            record_event(
                moderator,
                AuditAction.REDACT_PHOTO,
                "sighting",
                sighting.id,
                reason=ngettext(
                    "photo %(id)s: %(num)d box blurred",
                    "photo %(id)s: %(num)d boxes blurred",
                    len(boxes),
                    id=photo_id,
                ),
            )
