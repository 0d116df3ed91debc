"""The moderation blueprints: the /moderate pages (routes) and /api/v1/moderation (api)."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderate")

api_bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1/moderation")
