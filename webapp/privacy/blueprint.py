"""The privacy statement's blueprint (routes)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)
