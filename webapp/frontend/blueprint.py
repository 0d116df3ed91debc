"""The front end's blueprint: npm packages under /npm/ and the favicon (routes)."""

from flask import Blueprint

bp = Blueprint("frontend", __name__)
