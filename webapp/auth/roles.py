"""Who may do what: roles are ordered reporter < moderator < admin, and views say the least they need.

Anonymous visitors are sent to the login page (HTML) or answered 401 (JSON under /api/); logged-in accounts
without the role get 403.
"""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.errors import wants_json

ROLE_RANK = {"reporter": 0, "moderator": 1, "admin": 2}


def has_role(user, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ROLE_RANK.get(user.role, -1) >= ROLE_RANK[role]


def safe_next_url(target: str | None) -> str | None:
    """Only same-site paths are followed after login (no open redirect to another host)."""
    if not target:
        return None
    # Browsers read a backslash as a slash ("/\evil.example" is "//evil.example") and drop tabs and
    # newlines inside URLs: refuse both.
    if "\\" in target or any(ord(character) < 32 for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def role_required(role: str):
    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                if wants_json():
                    abort(401, description=_("Log in first."))
                next_path = request.full_path.rstrip("?") if request.method == "GET" else None
                return redirect(url_for("auth.login", next=next_path))
            if not has_role(current_user, role):
                abort(403, description=_("Your account may not do this."))
            return view(*args, **kwargs)

        return guarded

    return decorator


login_required = role_required("reporter")
moderator_required = role_required("moderator")
admin_required = role_required("admin")
