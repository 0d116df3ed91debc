"""The OpenStreetMap review's blueprint: /moderate/osm (routes)."""

from flask import Blueprint

bp = Blueprint("moderation_osm", __name__, url_prefix="/moderate/osm")
