"""The product's vocabulary, in one place: statuses, sources, mounts, roles and flag reasons (the database
enforces each with a CHECK constraint), the labels people read for them, and the limits every form, API and
template shares.

Statuses are StrEnums: they compare equal to the strings stored in the database, so
`Camera.status == CameraStatus.VERIFIED` and `camera.status in PUBLISHED_SIGHTING_STATUSES` both work.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class CameraStatus(StrEnum):
    VERIFIED = "verified"  # public
    HIDDEN = "hidden"  # taken off every public surface by a moderator, kept for review
    REMOVED = "removed"  # gone from the street (or never there)


class CameraSource(StrEnum):
    REPORT = "report"
    OSM = "osm"


class SightingStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"  # became a new camera
    MERGED = "merged"  # confirms a camera already on the map
    REJECTED = "rejected"


class FlagStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class FlagReason(StrEnum):
    DOES_NOT_EXIST = "does_not_exist"
    WRONG_PLACE = "wrong_place"
    PERSONAL_INFORMATION = "personal_information"
    SPAM = "spam"
    OTHER = "other"


class AreaKind(StrEnum):
    STATE = "state"
    COUNTY = "county"


class LinkProposalStatus(StrEnum):
    """A proposed link between an OpenStreetMap camera and a reported one (issue 12)."""

    OPEN = "open"
    MERGED = "merged"  # one camera now: the reported one, with the OSM identity
    DISMISSED = "dismissed"  # two cameras after all; never proposed again


class AgencyKind(StrEnum):
    """What an agency is (issue 11): federal receivers are marked in every answer about sharing."""

    POLICE = "police"
    SHERIFF = "sheriff"
    STATE = "state"
    FEDERAL = "federal"
    PRIVATE = "private"  # a private business (a shopping centre, a homeowners' association)
    OTHER = "other"


class RecordedBy(StrEnum):
    """Who put a sharing relation (or a portal figure) into Sightline."""

    IMPORT = "import"  # `flask agencies import` from a published data set
    MODERATOR = "moderator"


class OperatorLinkState(StrEnum):
    """Where the free-text operator of cameras stands in linking to an agency."""

    LINKED = "linked"  # the matcher was confident: linked without review
    QUEUED = "queued"  # proposals wait for a moderator
    CONFIRMED = "confirmed"  # a moderator confirmed, picked or created the agency
    UNMATCHED = "unmatched"  # no agency proposed, or a moderator said none fits


class SearchLogKind(StrEnum):
    """Whose searches an audit log lists (issue 21)."""

    NETWORK = "network"  # every search by an outside agency that touched the owner's cameras
    ORG = "org"  # the searches the owner's own officers ran


# A search's `Moderation` cell as the vendor logged it, stored as its position here (searches.moderation).
SEARCH_MODERATIONS = ("", "allow", "warn", "block")


class Role(StrEnum):
    """Ordered: each role may do everything the roles before it may."""

    REPORTER = "reporter"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class AuditAction(StrEnum):
    """What an audit event says was done (moderation_events.action; the database refuses any other, CHECK
    moderation_action_known). Every writer of the audit log names its action from here."""

    # A report (sighting) reviewed.
    VERIFY = "verify"  # a report became a new camera...
    CREATE = "create"  # ...which is the camera's first event
    MERGE = "merge"  # a report confirms a camera already on the map...
    CONFIRM = "confirm"  # ...which the camera's history shows
    REJECT = "reject"
    REOPEN = "reopen"  # a rejection undone
    # A camera on the map.
    CORRECT = "correct"
    HIDE = "hide"
    REMOVE = "remove"
    RESTORE = "restore"
    REDACT_PHOTO = "redact_photo"
    DROP_PHOTO = "drop_photo"
    SHOW_PHOTOS = "show_photos"  # photos a flag hid shown again
    # OpenStreetMap: the import, and the moderators' review of what it found.
    LINK_OSM = "link_osm"
    OSM_AGREES = "osm_agrees"
    OSM_DIFFERS = "osm_differs"
    OSM_GONE = "osm_gone"
    KEEP_OURS = "keep_ours"
    TAKE_OSM = "take_osm"
    KEEP_CAMERA = "keep_camera"
    MERGED_INTO = "merged_into"
    DISMISS_LINK = "dismiss_link"
    # Flags.
    RESOLVE = "resolve"
    DISMISS = "dismiss"
    # Accounts.
    SET_ROLE = "set_role"
    # Agencies, their sharing relations and the operator texts of cameras.
    CREATE_AGENCY = "create_agency"
    EDIT_AGENCY = "edit_agency"
    ADD_SHARING = "add_sharing"
    CORRECT_SHARING = "correct_sharing"
    RETIRE_SHARING = "retire_sharing"
    MATCH_OPERATOR = "match_operator"
    CONFIRM_OPERATOR = "confirm_operator"
    UNMATCH_OPERATOR = "unmatch_operator"
    # Searches (issue 21).
    IMPORT_SEARCH_LOG = "import_search_log"


CAMERA_STATUSES = tuple(member.value for member in CameraStatus)
CAMERA_SOURCES = tuple(member.value for member in CameraSource)
SIGHTING_STATUSES = tuple(member.value for member in SightingStatus)
FLAG_STATUSES = tuple(member.value for member in FlagStatus)
FLAG_REASONS = tuple(member.value for member in FlagReason)
ROLES = tuple(member.value for member in Role)
AREA_KINDS = tuple(member.value for member in AreaKind)
LINK_PROPOSAL_STATUSES = tuple(member.value for member in LinkProposalStatus)
AGENCY_KINDS = tuple(member.value for member in AgencyKind)
RECORDED_BY = tuple(member.value for member in RecordedBy)
OPERATOR_LINK_STATES = tuple(member.value for member in OperatorLinkState)
SEARCH_LOG_KINDS = tuple(member.value for member in SearchLogKind)
AUDIT_ACTIONS = tuple(member.value for member in AuditAction)
# An operator link that puts cameras under an agency (the others leave cameras.agency_id NULL).
LINKING_OPERATOR_STATES = (OperatorLinkState.LINKED, OperatorLinkState.CONFIRMED)
# The camera fields whose provenance Sightline tracks: each is owned by OpenStreetMap (a re-import updates
# it) or, once a moderator set it, by Sightline (a re-import leaves it alone). `position` is lon and lat.
OWNED_FIELDS = ("position", "vendor", "directions", "mount", "operator")
MOUNTS = ("pole", "traffic_signal", "overpass", "building", "other")
OSM_TYPES = ("node", "way", "relation")
# A sighting whose photos may be public (once a moderator released them).
PUBLISHED_SIGHTING_STATUSES = (SightingStatus.ACCEPTED, SightingStatus.MERGED)


def role_rank(role: str) -> int:
    """The rank of a stored role; -1 for anything that is not a role."""
    try:
        return Role(role).rank
    except ValueError:
        return -1


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """A CHECK expression that keeps `column` inside `values` (NULL allowed: use NOT NULL for that)."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class Limits:
    """Sizes every form, API, template and CHECK constraint agrees on (templates read them as `limits`)."""

    LOGIN_CHARS = 64
    OPERATOR_CHARS = 200
    NOTES_CHARS = 2000
    REASON_CHARS = 500  # a moderator's reason or note
    FLAG_TEXT_CHARS = 2000
    MAX_DIRECTIONS = 8
    # Decimals of a published position: 6 are 0.1 m, more than a camera's position can mean.
    COORDINATE_DIGITS = 6
    EARLIEST_OBSERVED_YEAR = 2000
    # "Is it a camera already on the map?" while reporting.
    DUPLICATE_RADIUS_M = 50
    # Duplicate candidates a moderator compares a sighting with.
    CANDIDATE_RADIUS_M = 100
    # A camera page's small map and list show the verified cameras this close, at most this many.
    CAMERA_PAGE_NEARBY_RADIUS_M = 500
    CAMERA_PAGE_NEARBY_MAX = 10
    # Rejected sightings (and their photos) are deleted this long after the rejection.
    REJECTED_RETENTION_DAYS = 30
    # Coverage figures. Areas with fewer residents are listed and marked, but not ranked per resident: one
    # camera in a county of 60 people would top every per-capita ranking.
    AREA_POPULATION_FLOOR = 5000
    BREAKDOWN_TOP_DEFAULT = 5
    BREAKDOWN_TOP_MAX = 20
    # What a drawn or uploaded area or route may be (each limit is said in the 400 or 413 that enforces it).
    COVERAGE_UPLOAD_BYTES = 5 * 1024 * 1024
    POLYGON_MAX_VERTICES = 10_000
    POLYGON_MAX_KM2 = 100_000
    POLYGON_MAX_FEATURES = 5000
    ROUTE_MAX_POINTS = 20_000
    ROUTE_MAX_KM = 1000
    # How deep an uploaded area or route may nest (KML folders, GeoJSON collections), how many parts it may
    # have (XML tags, JSON arrays and objects: a 20,000-point GPX with heart rate and cadence has 280,000
    # tags), and how many seconds of CPU reading it may take whatever it holds (webapp/coverage/shapes.py).
    SHAPES_MAX_DEPTH = 64
    SHAPES_MAX_PARTS = 300_000
    SHAPES_READ_SECONDS = 2
    ROUTE_BUFFER_DEFAULT_M = 75
    ROUTE_BUFFER_MIN_M = 10
    ROUTE_BUFFER_MAX_M = 500
    # A camera faces a route segment when one of its directions lies within this of the direction of travel.
    FACING_DEGREES = 35
    # A static PNG of a map view (GET /map.png): its size in pixels, and the cameras it draws one by one
    # (beyond that, the density layer says the same in cells).
    MAP_IMAGE_MIN_PIXELS = 200
    MAP_IMAGE_MAX_PIXELS = 2000
    MAP_IMAGE_DEFAULT_WIDTH = 1200
    MAP_IMAGE_DEFAULT_HEIGHT = 800
    MAP_IMAGE_MAX_CAMERAS = 5000
    # Pending reports this close to the oldest of them, facing compatible ways, are one item of the queue.
    GROUP_RADIUS_M = 50
    # Reports in one queue item (and so in one group decision); more of them make another item.
    GROUP_MAX_REPORTS = 10
    # An OpenStreetMap camera this close to a reported one, facing a compatible way, is proposed as the same.
    OSM_LINK_RADIUS_M = 10
    # OpenStreetMap refuses changesets of more than 10,000 elements; an export never holds more.
    OSM_EXPORT_MAX_NODES = 10_000
    # Rows each list of the OpenStreetMap review page shows (oldest first).
    OSM_REVIEW_ROWS = 50
    # Agencies (issue 11).
    AGENCY_NAME_CHARS = 200
    SOURCE_CHARS = 1000  # a sharing relation's source: a URL or a document's citation
    # Searches (issue 21): a stored reason (masked) is cut at this length; an audit log's title.
    SEARCH_REASON_CHARS = 500
    SEARCH_LOG_TITLE_CHARS = 300


MOUNT_LABELS = {
    "pole": _l("On its own pole"),
    "traffic_signal": _l("On a traffic signal"),
    "overpass": _l("On an overpass or gantry"),
    "building": _l("On a building"),
    "other": _l("Other"),
}

SIGHTING_STATUS_LABELS = {
    SightingStatus.PENDING: _l("Waiting for review by a moderator"),
    SightingStatus.ACCEPTED: _l("Verified: a new camera on the map"),
    SightingStatus.MERGED: _l("Verified: confirms a camera already on the map"),
    SightingStatus.REJECTED: _l("Rejected"),
}

AGENCY_KIND_LABELS = {
    AgencyKind.POLICE: _l("Police"),
    AgencyKind.SHERIFF: _l("Sheriff"),
    AgencyKind.STATE: _l("State agency"),
    AgencyKind.FEDERAL: _l("Federal agency"),
    AgencyKind.PRIVATE: _l("Private business"),
    AgencyKind.OTHER: _l("Other"),
}

CAMERA_SOURCE_LABELS = {CameraSource.REPORT: _l("Community report"), CameraSource.OSM: _l("OpenStreetMap")}

# The codes moderator pages show (statuses, sources, mounts, fields, actions of the audit log), in the page's
# language: term_label(code), the code itself for one not listed here.
TERM_LABELS = {
    CameraStatus.VERIFIED: _l("verified"),
    CameraStatus.HIDDEN: _l("hidden"),
    CameraStatus.REMOVED: _l("removed"),
    SightingStatus.PENDING: _l("pending"),
    SightingStatus.ACCEPTED: _l("accepted"),
    SightingStatus.MERGED: _l("merged"),
    SightingStatus.REJECTED: _l("rejected"),
    **CAMERA_SOURCE_LABELS,
    **MOUNT_LABELS,
    "position": _l("position"),
    "vendor": _l("vendor"),
    "directions": _l("directions"),
    "operator": _l("operator"),
    "sighting": _l("sighting"),
    "camera": _l("camera"),
    "verify": _l("verify"),
    "merge": _l("merge"),
    "reject": _l("reject"),
    "reopen": _l("reopen"),
    "correct": _l("correct"),
    "hide": _l("hide"),
    "remove": _l("mark as removed"),
    "restore": _l("restore"),
    "redact_photo": _l("blur a photo"),
    "drop_photo": _l("delete a photo"),
    "show_photos": _l("show the photos"),
}


def term_label(code: str | None) -> str:
    return str(TERM_LABELS.get(code, code or ""))


FLAG_REASON_LABELS = {
    FlagReason.DOES_NOT_EXIST: _l("There is no camera here"),
    FlagReason.WRONG_PLACE: _l("The camera is in the wrong place"),
    FlagReason.PERSONAL_INFORMATION: _l("The page shows personal information (a face, a plate, a home)"),
    FlagReason.SPAM: _l("Spam"),
    FlagReason.OTHER: _l("Something else"),
}

REJECT_REASON_LABELS = {
    "not_alpr": _l("This is not a license-plate reader"),
    "duplicate": _l("This camera is already on the map"),
    "wrong_place": _l("The position is wrong or unclear"),
    "unclear_photo": _l("The photo does not show the camera clearly"),
    "personal_information": _l("The report shows personal information"),
    "spam": _l("Spam or a test"),
    "other": _l("Other"),
}
