"""The moderators' agencies blueprint: /moderate/agencies (routes) and its JSON twins under
/api/v1/moderation/agencies (api)."""

from flask import Blueprint

bp = Blueprint("agencies_moderation", __name__)
