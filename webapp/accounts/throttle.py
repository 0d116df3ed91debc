"""Login throttling, per account and per client, on keyed hashes only.

Failed attempts are counted under HMAC(daily salt, "account:" + login) and HMAC(daily salt, "client:" +
address), with the salt of webapp/kernel/ratelimit.py that rotates every UTC day, so the counters never hold
a login name or an address. Only failures count; once either counter is full, logins for that account (or
from that client) are refused, even with the right password, until the window moves on.
"""

import hashlib
import hmac
import math
import time

import limits
from flask import current_app, request
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from webapp.kernel.ratelimit import daily_salt

_NAMESPACE = "sightline-login"


def _keyed(kind: str, value: str) -> str:
    return hmac.new(daily_salt(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _rate_limiter() -> MovingWindowRateLimiter:
    limiter = current_app.extensions.get("login_throttle")
    if limiter is None:
        storage = storage_from_string(current_app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
        limiter = MovingWindowRateLimiter(storage)
        current_app.extensions["login_throttle"] = limiter
    return limiter


def _counters(login: str) -> list[tuple[limits.RateLimitItem, str]]:
    account = limits.parse(current_app.config["LOGIN_LIMIT_ACCOUNT"])
    client = limits.parse(current_app.config["LOGIN_LIMIT_CLIENT"])
    address = request.remote_addr or "unknown"
    return [
        (account, _keyed("account", login.strip().lower())),
        (client, _keyed("client", address)),
    ]


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def seconds_until_allowed(login: str) -> int:
    """0 when a login attempt may go ahead; otherwise how long until the fullest counter frees a slot."""
    if not _enabled():
        return 0
    limiter = _rate_limiter()
    wait = 0.0
    for item, key in _counters(login):
        if not limiter.test(item, _NAMESPACE, key):
            reset_at = limiter.get_window_stats(item, _NAMESPACE, key).reset_time
            wait = max(wait, reset_at - time.time(), 1)
    return math.ceil(wait)


def record_failure(login: str) -> None:
    if not _enabled():
        return
    limiter = _rate_limiter()
    for item, key in _counters(login):
        limiter.hit(item, _NAMESPACE, key)


def stored_keys() -> list[str]:
    """The counter keys the in-memory storage holds (tests check that no login or address is among them)."""
    storage = _rate_limiter().storage
    return [str(key) for key in getattr(storage, "events", {})] + [
        str(key) for key in getattr(storage, "storage", {})
    ]
