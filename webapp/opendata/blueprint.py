"""The open data's blueprint: /api/v1/cameras and the export files (api)."""

from flask import Blueprint

bp = Blueprint("opendata", __name__, url_prefix="/api/v1")
