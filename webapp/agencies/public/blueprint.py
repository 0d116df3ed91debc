"""The public agencies blueprint: the /agencies pages (routes) and /api/v1/agencies (api) register on it."""

from flask import Blueprint

bp = Blueprint("agencies", __name__)
