"""The moderators' agencies blueprint: /moderate/agencies and its JSON twins under
/api/v1/moderation/agencies (routes)."""

from flask import Blueprint

bp = Blueprint("agencies_moderation", __name__)
