"""The releases' blueprint: the /data pages (routes) and /api/v1/releases (api) both register on it."""

from flask import Blueprint

bp = Blueprint("releases", __name__)
