"""What a logged-in reporter may see of their own reports: status, month, reason, the camera it became."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Camera, Sighting, User

STATUS_LABELS = {
    "pending": _l("Waiting for review"),
    "accepted": _l("Verified: a new camera on the map"),
    "merged": _l("Verified: confirms a camera already on the map"),
    "rejected": _l("Rejected"),
}


@dataclass(frozen=True)
class OwnSighting:
    month: date
    status: str
    status_label: str
    vendor: str
    reject_reason: str | None
    public_camera_id: int | None


def sightings_of(user: User) -> list[OwnSighting]:
    rows = db.session.execute(
        select(Sighting, Camera.status)
        .outerjoin(Camera, Camera.id == Sighting.camera_id)
        .where(Sighting.submitter_id == user.id)
        .order_by(Sighting.created_at.desc(), Sighting.id.desc())
    ).all()
    return [
        OwnSighting(
            month=sighting.created_at.date().replace(day=1),
            status=sighting.status,
            status_label=str(STATUS_LABELS[sighting.status]),
            vendor=sighting.vendor,
            reject_reason=sighting.reject_reason,
            # Only a camera the public can see is linked (a pending report's proposed camera is not news).
            public_camera_id=sighting.camera_id
            if sighting.status in ("accepted", "merged") and camera_status == "verified"
            else None,
        )
        for sighting, camera_status in rows
    ]
