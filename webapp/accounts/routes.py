"""Log in and out, a reporter's own sightings, and the admin page that changes roles."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.login import LoginFailed, LoginThrottled, authenticate
from webapp.accounts.own_sightings import sightings_of
from webapp.accounts.service import list_users, set_role
from webapp.kernel.access import admin_required, login_required, safe_next_url
from webapp.kernel.extensions import db, login_manager
from webapp.kernel.models import User
from webapp.kernel.sessions import end_every_session, start_session
from webapp.kernel.transactions import commit
from webapp.kernel.vocabulary import ROLES

bp = Blueprint("accounts", __name__)


def _no_client_fingerprint() -> str:
    return "-"


@bp.record_once
def _configure_login_manager(state):
    login_manager.login_view = "accounts.login"
    # Flask-Login's session protection puts an unsalted SHA-512 of the client's address and user agent into
    # the session cookie, and a hash of an IPv4 address is reversible by brute force: we keep no address,
    # hashed or not, so the fingerprint is a constant and the protection is off.
    login_manager.session_protection = None
    login_manager._session_identifier_generator = _no_client_fingerprint


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next_url(request.values.get("next"))
    if request.method == "GET":
        return render_template("accounts/login.html", next_url=next_url)
    # A refused login shows the form again (with the reason), not an error page.
    try:
        user = authenticate(request.form.get("login", ""), request.form.get("password", ""))
    except LoginThrottled as error:
        page = render_template("accounts/login.html", next_url=next_url, error=str(error))
        return page, 429, {"Retry-After": str(error.retry_after)}
    except LoginFailed as error:
        return render_template("accounts/login.html", next_url=next_url, error=str(error)), 401
    start_session(user)
    commit()  # a password rehash, if argon2's parameters changed
    if next_url:
        return redirect(next_url)
    return redirect(url_for("moderation.queue") if user.is_moderator else url_for("accounts.own_sightings"))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        end_every_session(current_user._get_current_object())
        commit()
    flash(_("You are logged out."))
    return redirect(url_for("accounts.login"))


@bp.get("/account/sightings")
@login_required
def own_sightings():
    return render_template("accounts/own_sightings.html", sightings=sightings_of(current_user))


@bp.get("/admin/users")
@admin_required
def users():
    return render_template("accounts/users.html", users=list_users(), roles=ROLES)


@bp.post("/admin/users/<id:user_id>/role")
@admin_required
def change_role(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, description=_("No such account."))
    role = request.form.get("role", "")
    set_role(user, role, actor=current_user)
    commit()
    flash(_("%(login)s is now %(role)s.", login=user.login, role=role))
    return redirect(url_for("accounts.users"))
