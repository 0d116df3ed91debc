"""The ORM models, one module per aggregate. Importing this package registers them all with SQLAlchemy."""

from webapp.kernel.data.models.agency import (
    Agency,
    AgencyAlias,
    AgencyCameraCell,
    AgencyPolicy,
    AgencyPortalFigures,
    AgencySharing,
    DataSource,
    OperatorLink,
)
from webapp.kernel.data.models.area import Area, AreaCameraCount, AreaCountsVersion, AreaPart
from webapp.kernel.data.models.camera import Camera
from webapp.kernel.data.models.data_change import DataChange
from webapp.kernel.data.models.density import DensityCell
from webapp.kernel.data.models.flag import Flag
from webapp.kernel.data.models.moderation import ModerationEvent
from webapp.kernel.data.models.osm import OsmElement, OsmImportRun, OsmLinkProposal
from webapp.kernel.data.models.pending_photo import PendingPhoto
from webapp.kernel.data.models.photo import Photo
from webapp.kernel.data.models.release import (
    CameraChange,
    DataRelease,
    FeedArea,
    ReleaseCamera,
    ReleaseFigure,
)
from webapp.kernel.data.models.search import Search, SearchType
from webapp.kernel.data.models.search_answer_counts import (
    SearchMonthCount,
    SearchSearcherCount,
    SearchSearcherMonth,
)
from webapp.kernel.data.models.search_counts import SearchCount
from webapp.kernel.data.models.search_log import SearchLog, SearchLogFile
from webapp.kernel.data.models.search_reason import SearchReason, SearchReasonClass, SearchRuleVersion
from webapp.kernel.data.models.search_searcher import SearchSearcher
from webapp.kernel.data.models.sighting import Sighting
from webapp.kernel.data.models.user import User

__all__ = [
    "Agency",
    "AgencyAlias",
    "AgencyCameraCell",
    "AgencyPolicy",
    "AgencyPortalFigures",
    "AgencySharing",
    "DataSource",
    "OperatorLink",
    "Area",
    "AreaCameraCount",
    "AreaCountsVersion",
    "AreaPart",
    "Camera",
    "DataChange",
    "CameraChange",
    "DataRelease",
    "FeedArea",
    "ReleaseCamera",
    "ReleaseFigure",
    "DensityCell",
    "Flag",
    "ModerationEvent",
    "OsmElement",
    "OsmImportRun",
    "OsmLinkProposal",
    "PendingPhoto",
    "Photo",
    "Search",
    "SearchCount",
    "SearchLog",
    "SearchLogFile",
    "SearchMonthCount",
    "SearchReason",
    "SearchReasonClass",
    "SearchRuleVersion",
    "SearchSearcher",
    "SearchSearcherCount",
    "SearchSearcherMonth",
    "SearchType",
    "Sighting",
    "User",
]
