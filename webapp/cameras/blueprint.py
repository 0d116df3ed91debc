"""The cameras' blueprint: the public camera pages (routes)."""

from flask import Blueprint

bp = Blueprint("cameras", __name__)
