"""The camera fields whose provenance Sightline tracks (OWNED_FIELDS: position, vendor, directions, mount,
operator), read from a camera, from what OpenStreetMap said, or from an imported record, and compared the
way OpenStreetMap would store them: bearings as sets (order alone never makes a camera differ), positions
to OSM's seven decimals, mounts and vendors as they read back from the tags an export writes."""

from dataclasses import dataclass

from webapp.camera_fields.vendors import normalise_vendor
from webapp.cameras.osm_tags import manufacturer_tags, osm_mount_tag, read_osm_mount
from webapp.kernel.vocabulary import OWNED_FIELDS

# Half a unit of OSM's seventh decimal: closer than this, two positions are one (about 5 cm).
SAME_POSITION_DEGREES = 5e-7
POSITION_DIGITS = 7


@dataclass(frozen=True)
class TrackedValues:
    """The tracked fields of one camera, as one source has them."""

    lon: float
    lat: float
    vendor: str
    mount: str | None
    directions: tuple[int, ...]
    operator: str | None

    def shown(self, name: str) -> object:
        """The field as the history and the review page show it (JSON-safe)."""
        if name == "position":
            return [round(self.lat, POSITION_DIGITS), round(self.lon, POSITION_DIGITS)]
        if name == "directions":
            return sorted(self.directions)
        return getattr(self, name)


def values_of(row) -> TrackedValues:
    """A row with lon, lat, vendor, mount, directions and operator (a query row, a snapshot, a record)."""
    return TrackedValues(
        lon=float(row.lon),
        lat=float(row.lat),
        vendor=row.vendor,
        mount=row.mount,
        directions=tuple(row.directions or ()),
        operator=row.operator,
    )


def _vendor_read_back(vendor: str) -> str:
    return normalise_vendor(manufacturer_tags(vendor)["manufacturer"])


def same(name: str, ours: TrackedValues, theirs: TrackedValues) -> bool:
    """Whether one tracked field holds the same value in both, as OpenStreetMap would store it."""
    if name == "position":
        return (
            abs(ours.lon - theirs.lon) < SAME_POSITION_DEGREES
            and abs(ours.lat - theirs.lat) < SAME_POSITION_DEGREES
        )
    if name == "directions":
        return set(ours.directions) == set(theirs.directions)
    if name == "mount":
        return read_osm_mount(osm_mount_tag(ours.mount)) == read_osm_mount(osm_mount_tag(theirs.mount))
    if name == "vendor":
        return _vendor_read_back(ours.vendor) == _vendor_read_back(theirs.vendor)
    return getattr(ours, name) == getattr(theirs, name)


def differing(ours: TrackedValues, theirs: TrackedValues, names=OWNED_FIELDS) -> list[str]:
    """The fields of `names` whose values differ, in OWNED_FIELDS order."""
    return [name for name in OWNED_FIELDS if name in names and not same(name, ours, theirs)]
