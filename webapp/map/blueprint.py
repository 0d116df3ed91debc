"""The map's blueprint: the density map page, the embeddable map, a view as PNG, the gazetteer (routes)."""

from flask import Blueprint

bp = Blueprint("map", __name__)
