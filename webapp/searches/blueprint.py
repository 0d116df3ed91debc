"""The searches package's one blueprint: its pages and its JSON/CSV answers register their views on it."""

from flask import Blueprint

bp = Blueprint("searches", __name__)
