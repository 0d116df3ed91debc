"""Sessions: signed cookies that stay out of public, cacheable answers, are Secure whenever the request came
over HTTPS, start afresh at login and all end at logout.

Flask-Login reads the session on every request, and Flask then adds `Vary: Cookie` to the answer: a CDN
would cache every tile, export and script once per visitor's cookie, and could not share them at all. An
answer that says it is public (`Cache-Control: public`) is the same for everyone, so it neither varies on
nor sets the session cookie, unless the request really changed the session.

A view marked @cookieless (the embeddable map, framed by other sites) never sets or refreshes a cookie at
all, whoever asks: a newsroom's readers get no cookie of ours from a story.

A signed cookie cannot be revoked, and a copy of it (another browser, a stolen cookie) outlives a logout that
only clears the cookie in one browser. So each session carries the account's session version
(User.get_id), and logging out raises the version: every copy stops loading its account at once.
"""

from flask import request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user, logout_user

from webapp.kernel.data.models import User
from webapp.kernel.errors import view_says
from webapp.kernel.extensions import db


class PublicAnswerAwareSessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app) -> bool:
        # Behind the TLS proxy (PROXY_HOPS) the request says HTTPS even when the HTTPS setting was forgotten.
        return bool(super().get_cookie_secure(app) or request.is_secure)

    def save_session(self, app, session, response) -> None:
        if response.cache_control.public and not session.modified:
            return
        if view_says("cookieless"):
            return
        super().save_session(app, session, response)


def cookieless(view):
    """Mark a view whose answers never set a cookie (no session, so no CSRF token either)."""
    view.cookieless = True
    return view


def start_session(user: User) -> None:
    """Log `user` in on a new session: nothing of the session before the login (a planted session id,
    another account's flashes, the anonymous CSRF token) carries over."""
    session.clear()
    login_user(user)


def end_every_session(user: User) -> None:
    """Log out here and everywhere: the account's other sessions, and every copy of this one, stop working.
    Flushes; the route commits."""
    user.session_version = User.session_version + 1
    db.session.flush()
    logout_user()
    session.clear()
