"""Log in and out, the second factor, a reporter's own sightings, and the admin page that changes roles."""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts import two_factor
from webapp.accounts.blueprint import bp
from webapp.accounts.known_devices import remember_device
from webapp.accounts.login import LoginFailed, LoginThrottled, authenticate
from webapp.accounts.own_sightings import sightings_of
from webapp.accounts.service import list_users, set_role
from webapp.kernel.data.models import User
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import db, login_manager
from webapp.kernel.http.access import admin_required, login_required, safe_next_url
from webapp.kernel.http.sessions import end_every_session, start_session
from webapp.kernel.vocabulary import ROLES


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
        user = authenticate(
            request.form.get("login", ""), request.form.get("password", ""), request.form.get("code", "")
        )
    except LoginThrottled as error:
        page = render_template("accounts/login.html", next_url=next_url, error=str(error))
        return page, 429, {"Retry-After": str(error.retry_after)}
    except LoginFailed as error:
        return render_template("accounts/login.html", next_url=next_url, error=str(error)), 401
    start_session(user)
    commit()  # a password rehash, if argon2's parameters changed
    if two_factor.required_for(user) and not user.has_two_factor:
        flash(_("This site requires a second factor for moderators. Set it up now."))
        response = redirect(url_for("accounts.two_factor_page"))
    elif next_url:
        response = redirect(next_url)
    else:
        response = redirect(
            url_for("moderation.queue") if user.is_moderator else url_for("accounts.own_sightings")
        )
    remember_device(response, user)
    return response


@bp.get("/account/two-factor")
@login_required
def two_factor_page():
    if current_user.has_two_factor:
        return render_template("accounts/two_factor.html", enabled=True)
    # The secret waits in the (signed) session until one code proves the app has it.
    secret = session.get("totp_pending") or two_factor.new_secret()
    session["totp_pending"] = secret
    uri = two_factor.provisioning_uri(secret, current_user)
    return render_template("accounts/two_factor.html", enabled=False, secret=secret, uri=uri)


@bp.post("/account/two-factor")
@login_required
def enable_two_factor():
    user = current_user._get_current_object()
    two_factor.enable(user, session.get("totp_pending") or "", request.form.get("code", ""))
    # Sessions opened with the password alone (elsewhere) end; this one starts again.
    end_every_session(user)
    start_session(user)
    commit()
    flash(_("Two-step login is on: from now on you log in with your password and a code from your app."))
    return redirect(url_for("accounts.two_factor_page"))


@bp.post("/account/two-factor/disable")
@login_required
def disable_two_factor():
    two_factor.disable(current_user._get_current_object(), request.form.get("code", ""))
    commit()
    flash(_("Two-step login is off."))
    return redirect(url_for("accounts.two_factor_page"))


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
