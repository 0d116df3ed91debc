"""Who may do what: roles are ordered reporter < moderator < admin (webapp.kernel.vocabulary.Role), and
views say the least they need.

Anonymous visitors are sent to the login page (HTML) or answered 401 (JSON); logged-in accounts without the
role get 403. Sessions belong to active accounts only. With REQUIRE_TOTP_FOR_MODERATORS, a moderator or admin
without a second factor is sent to set it up (403 in JSON) before any moderator's view.
"""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.kernel.data.models import User
from webapp.kernel.errors import wants_json
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import Role


def has_role(user, role: Role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(role)


def load_user(session_id: str) -> User | None:
    """The account of a session ("<user id>.<session version>", User.get_id); a disabled account's sessions,
    and every session opened before the account last logged out, end at their next request."""
    user_id, _dot, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


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


def _second_factor_missing(user) -> bool:
    """REQUIRE_TOTP_FOR_MODERATORS is on and this moderator or admin has not set up a second factor yet."""
    return bool(current_app.config.get("REQUIRE_TOTP_FOR_MODERATORS")) and user.totp_secret is None


def role_required(role: Role):
    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                if wants_json():
                    abort(401, description=_("Log in first."))
                next_path = request.full_path.rstrip("?") if request.method == "GET" else None
                return redirect(url_for("accounts.login", next=next_path))
            if not has_role(current_user, role):
                abort(403, description=_("Your account may not do this."))
            if role.rank >= Role.MODERATOR.rank and _second_factor_missing(current_user):
                message = _("This site requires a second factor for moderators. Set it up now.")
                if wants_json():
                    abort(403, description=message)
                flash(message)
                return redirect(url_for("accounts.two_factor_page"))
            return view(*args, **kwargs)

        return guarded

    return decorator


login_required = role_required(Role.REPORTER)
moderator_required = role_required(Role.MODERATOR)
admin_required = role_required(Role.ADMIN)
