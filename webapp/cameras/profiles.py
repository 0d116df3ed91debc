"""What a public camera page shows: camera-level facts only (vendor, operator, directions, mount, months,
confirmations, source), its published photos and the verified cameras near it. Never a submitter, a
sighting time or a sighting id."""

from dataclasses import dataclass
from datetime import date

from geoalchemy2.shape import to_shape

from webapp.camera_fields.vendors import vendor_name
from webapp.geo.nearby import cameras_near
from webapp.kernel.data.models import Agency, Camera
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraSource, Limits
from webapp.photos.published import published_photos


@dataclass(frozen=True)
class PublicPhoto:
    content_hash: str
    width: int
    height: int


@dataclass(frozen=True)
class CameraPage:
    id: int
    lon: float
    lat: float
    vendor: str
    vendor_name: str
    operator: str | None
    directions: list[int]
    mount: str | None
    first_reported_month: date | None
    last_confirmed_month: date | None
    confirmations: int
    source: str
    from_osm: bool
    photos_hidden: bool
    photos: list[PublicPhoto]
    # The agency its operator is linked to (webapp.agencies), when one is.
    agency_id: int | None = None
    agency_name: str | None = None


def public_camera(camera_id: int) -> CameraPage | None:
    """The page of a verified camera, or None (hidden, removed and unknown cameras look the same)."""
    camera = db.session.get(Camera, camera_id)
    if camera is None or not camera.is_public:
        return None
    position = to_shape(camera.geom)
    photos = [] if camera.photos_hidden else published_photos(camera.id)
    agency = db.session.get(Agency, camera.agency_id) if camera.agency_id else None
    return CameraPage(
        id=camera.id,
        lon=position.x,
        lat=position.y,
        vendor=camera.vendor,
        vendor_name=vendor_name(camera.vendor),
        operator=camera.operator,
        directions=sorted(camera.directions or []),
        mount=camera.mount,
        first_reported_month=camera.first_reported_month,
        last_confirmed_month=camera.last_confirmed_month,
        confirmations=camera.confirmations,
        source=camera.source,
        from_osm=camera.source == CameraSource.OSM,
        photos_hidden=camera.photos_hidden,
        photos=[PublicPhoto(photo.content_hash, photo.width, photo.height) for photo in photos],
        agency_id=agency.id if agency else None,
        agency_name=agency.name if agency else None,
    )


@dataclass(frozen=True)
class NeighbourCamera:
    id: int
    lon: float
    lat: float
    vendor: str
    vendor_name: str
    distance_m: int


def neighbours_of(camera: CameraPage) -> list[NeighbourCamera]:
    """The verified cameras near a camera, nearest first: one indexed query with a bounded answer."""
    near = cameras_near(
        camera.lon, camera.lat, Limits.CAMERA_PAGE_NEARBY_RADIUS_M, limit=Limits.CAMERA_PAGE_NEARBY_MAX + 1
    )
    return [
        NeighbourCamera(
            other.id, other.lon, other.lat, other.vendor, vendor_name(other.vendor), round(other.distance_m)
        )
        for other in near
        if other.id != camera.id
    ][: Limits.CAMERA_PAGE_NEARBY_MAX]
