"""The ORM models, one module per aggregate. Importing this package registers them all with SQLAlchemy."""

from webapp.models.camera import Camera
from webapp.models.density import DensityCell
from webapp.models.flag import Flag
from webapp.models.moderation import ModerationEvent
from webapp.models.photo import Photo
from webapp.models.sighting import Sighting
from webapp.models.user import User

__all__ = ["Camera", "DensityCell", "Flag", "ModerationEvent", "Photo", "Sighting", "User"]
