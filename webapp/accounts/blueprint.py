"""The accounts' blueprint: logging in and out, account pages and the admins' role changes (routes)."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
