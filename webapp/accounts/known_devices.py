"""Known devices: a signed cookie set at a successful login lets that browser log in to its account even while
the account is locked by failures from elsewhere (webapp.accounts.throttle). It still needs the password (and
the second factor, when the account has one).

The cookie holds the account's id, a mark of its password hash (a new password retires every known device)
and the UTC day it expires, signed with SECRET_KEY: no address, no time finer than a day, and nothing is
kept on the server. It is sent to /login only.
"""

import hashlib
from datetime import UTC, date, datetime, timedelta

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from webapp.kernel.data.models import User

COOKIE = "sightline_device"
_SALT = "sightline-known-device"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def _password_mark(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _today() -> date:
    return datetime.now(UTC).date()


def remember_device(response: Response, user: User) -> None:
    """Set the known-device cookie of `user` on a successful login's answer."""
    days = current_app.config["KNOWN_DEVICE_DAYS"]
    expires = _today() + timedelta(days=days)
    token = _serializer().dumps({"u": user.id, "p": _password_mark(user), "e": expires.isoformat()})
    response.set_cookie(
        COOKIE,
        token,
        max_age=days * 86400,
        path="/login",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure),
        httponly=True,
        samesite="Lax",
    )


def is_known_device(user: User | None) -> bool:
    """Whether this request carries a valid known-device cookie of `user`."""
    token = request.cookies.get(COOKIE)
    if user is None or not token:
        return False
    try:
        payload = _serializer().loads(token)
        expires = date.fromisoformat(payload["e"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return False
    return payload.get("u") == user.id and payload.get("p") == _password_mark(user) and expires >= _today()
