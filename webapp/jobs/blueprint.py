"""The jobs' blueprint: the moderators' page of recent jobs (routes) and its JSON (api)."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)
