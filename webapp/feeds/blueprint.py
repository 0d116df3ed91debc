"""The feeds' blueprint: /feeds/... (routes register on it)."""

from flask import Blueprint

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
