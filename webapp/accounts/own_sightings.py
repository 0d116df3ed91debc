"""What a logged-in reporter may see of their own reports: status, month, reason, the camera it became."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from webapp.kernel.data.models import Camera, Sighting, User
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import PUBLISHED_SIGHTING_STATUSES, SIGHTING_STATUS_LABELS, CameraStatus


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
        .order_by(Sighting.reported_on.desc(), Sighting.id.desc())
    ).all()
    return [
        OwnSighting(
            month=sighting.reported_month,
            status=sighting.status,
            status_label=str(SIGHTING_STATUS_LABELS[sighting.status]),
            vendor=sighting.vendor,
            reject_reason=sighting.reject_reason,
            # Only a camera the public can see is linked (a pending report's proposed camera is not news).
            public_camera_id=sighting.camera_id
            if sighting.status in PUBLISHED_SIGHTING_STATUSES and camera_status == CameraStatus.VERIFIED
            else None,
        )
        for sighting, camera_status in rows
    ]
