"""The ORM models, one module per aggregate. Importing this package registers them all with SQLAlchemy."""

from webapp.kernel.models.agency import (
    Agency,
    AgencyAlias,
    AgencyCameraCell,
    AgencyPolicy,
    AgencyPortalFigures,
    AgencySharing,
    DataSource,
    OperatorLink,
)
from webapp.kernel.models.area import Area, AreaCameraCount, AreaCountsVersion, AreaPart
from webapp.kernel.models.camera import Camera
from webapp.kernel.models.data_change import DataChange
from webapp.kernel.models.density import DensityCell
from webapp.kernel.models.flag import Flag
from webapp.kernel.models.moderation import ModerationEvent
from webapp.kernel.models.osm import OsmElement, OsmImportRun, OsmLinkProposal
from webapp.kernel.models.pending_photo import PendingPhoto
from webapp.kernel.models.photo import Photo
from webapp.kernel.models.release import CameraChange, DataRelease, FeedArea, ReleaseCamera, ReleaseFigure
from webapp.kernel.models.search import Search, SearchType
from webapp.kernel.models.search_answer_counts import (
    SearchMonthCount,
    SearchSearcherCount,
    SearchSearcherMonth,
)
from webapp.kernel.models.search_counts import SearchCount, SearchReasonCount
from webapp.kernel.models.search_log import SearchLog, SearchLogFile
from webapp.kernel.models.search_reason import SearchReason, SearchReasonClass, SearchRuleVersion
from webapp.kernel.models.search_searcher import SearchSearcher
from webapp.kernel.models.sighting import Sighting
from webapp.kernel.models.user import User

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
    "SearchReasonCount",
    "SearchRuleVersion",
    "SearchSearcher",
    "SearchSearcherCount",
    "SearchSearcherMonth",
    "SearchType",
    "Sighting",
    "User",
]
