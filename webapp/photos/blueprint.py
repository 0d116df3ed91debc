"""The photos' blueprint: published photos and the moderators' view of pending ones (routes)."""

from flask import Blueprint

bp = Blueprint("photos", __name__)
