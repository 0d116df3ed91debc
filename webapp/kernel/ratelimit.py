"""Rate limiting without identity: limits are keyed on a keyed hash of the client address.

The key is HMAC-SHA256(salt, address) where the salt is random and rotates every UTC day. It lives only in
process memory, or in Redis beside the counters when RATELIMIT_STORAGE_URI points at Redis (so that every
worker agrees on it). Once a day's salt is gone, nobody can tell which address a counter belonged to.
"""

import hashlib
import hmac
import math
import secrets
import threading
import time
from datetime import UTC, datetime

import flask_limiter
from flask import Flask, current_app, request
from flask_babel import ngettext

_salts: dict[str, bytes] = {}
_salts_lock = threading.Lock()


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def _redis_salt(uri: str, day: str) -> bytes:
    import redis  # only needed when Redis holds the counters

    client = redis.Redis.from_url(uri)
    key = f"sightline:ratelimit-salt:{day}"
    client.set(key, secrets.token_bytes(32), nx=True, ex=2 * 86400)
    return client.get(key)


def daily_salt() -> bytes:
    day = _today()
    uri = current_app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    if uri.startswith(("redis://", "rediss://")):
        return _redis_salt(uri, day)
    with _salts_lock:
        if day not in _salts:
            _salts.clear()  # forget yesterday's salt: old keys become unlinkable
            _salts[day] = secrets.token_bytes(32)
        return _salts[day]


def client_key() -> str:
    """The rate-limit key of the current request; the address itself is never stored."""
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(daily_salt(), address, hashlib.sha256).hexdigest()[:32]


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter with RATELIMIT_ENABLED honoured per app.

    Flask-Limiter keeps `enabled` on the (module-level, shared) extension object, so initialising a second
    app would switch limits on or off for every app in the process (tests build several). Here the
    extension itself always stays enabled and a request filter reads the current app's setting.
    """

    def init_app(self, app: Flask) -> None:
        wanted = app.config.get("RATELIMIT_ENABLED", True)
        app.config["RATELIMIT_ENABLED"] = True
        try:
            super().init_app(app)
        finally:
            app.config["RATELIMIT_ENABLED"] = wanted


limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=True)


@limiter.request_filter
def _limits_switched_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def _submit_limit() -> str:
    return current_app.config["RATELIMIT_SUBMIT"]


def _submit_limit_message() -> str:
    breached = limiter.current_limit
    seconds = max(1, math.ceil(breached.reset_at - time.time())) if breached else 3600
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "You have sent many reports from this connection. Please try again in %(num)d minute.",
        "You have sent many reports from this connection. Please try again in %(num)d minutes.",
        minutes,
    )


# One budget shared by every way of submitting a sighting (the HTML form and the JSON API).
submit_limit = limiter.shared_limit(
    _submit_limit, scope="submit", methods=["POST"], error_message=_submit_limit_message
)
