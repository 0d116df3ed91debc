"""The flags' blueprint: the public flag form's target and the moderators' flag queue (routes)."""

from flask import Blueprint

bp = Blueprint("flags", __name__)
