"""Login throttling on keyed hashes only, independent of the client for the account's protection.

Failed attempts are counted under keyed hashes (webapp.kernel.http.ratelimit.keyed_hash, whose salt changes
every UTC day), so the counters never hold a login name or an address:
- per client: a client with LOGIN_LIMIT_CLIENT failures is refused for every account;
- per account, from every client together: LOGIN_LIMIT_ACCOUNT is a ladder of windows ("5 per minute;
  10 per 15 minutes; 20 per hour; 50 per day"), a delay that grows with the failures. Once a window is full
  the account refuses every client until the window frees a slot, however many addresses the guesses come
  from, except the account owner's known devices (webapp.accounts.known_devices): a signed cookie set at a
  successful login. So flooding an account locks out new devices, never the owner's own browser.

The same store remembers, for two minutes, which second-factor codes were used (a code works once).
"""

import math
import time

import limits
from flask import current_app
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from webapp.kernel.http.proxy import client_address
from webapp.kernel.http.ratelimit import keyed_hash

_NAMESPACE = "sightline-login"


def _rate_limiter() -> MovingWindowRateLimiter:
    limiter = current_app.extensions.get("login_throttle")
    if limiter is None:
        storage = storage_from_string(current_app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
        limiter = MovingWindowRateLimiter(storage)
        current_app.extensions["login_throttle"] = limiter
    return limiter


def _account_key(login: str) -> str:
    return keyed_hash(f"account:{login.strip().lower()}")


def _client_key() -> str:
    return keyed_hash(f"client:{client_address()}")


def _account_limits() -> list[limits.RateLimitItem]:
    return limits.parse_many(current_app.config["LOGIN_LIMIT_ACCOUNT"])


def _client_limit() -> limits.RateLimitItem:
    return limits.parse(current_app.config["LOGIN_LIMIT_CLIENT"])


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _wait(limiter: MovingWindowRateLimiter, item: limits.RateLimitItem, key: str) -> float:
    reset_at = limiter.get_window_stats(item, _NAMESPACE, key).reset_time
    return max(reset_at - time.time(), 1)


def seconds_until_allowed(login: str, known_device: bool = False) -> int:
    """0 when a login attempt may go ahead; otherwise how long until it may. A known device of the account
    is held to its client's limit only."""
    if not _enabled():
        return 0
    limiter = _rate_limiter()
    waits = [0.0]
    client_item, client_key = _client_limit(), _client_key()
    if not limiter.test(client_item, _NAMESPACE, client_key):
        waits.append(_wait(limiter, client_item, client_key))
    if not known_device:
        account_key = _account_key(login)
        waits += [
            _wait(limiter, item, account_key)
            for item in _account_limits()
            if not limiter.test(item, _NAMESPACE, account_key)
        ]
    return math.ceil(max(waits))


def record_failure(login: str) -> None:
    if not _enabled():
        return
    limiter = _rate_limiter()
    limiter.hit(_client_limit(), _NAMESPACE, _client_key())
    account_key = _account_key(login)
    for item in _account_limits():
        limiter.hit(item, _NAMESPACE, account_key)


def use_once(name: str, seconds: int) -> bool:
    """True the first time `name` is used within `seconds` (a second-factor code), False after. Kept under a
    keyed hash like the counters, whether or not rate limits are enabled."""
    item = limits.RateLimitItemPerSecond(1, seconds)
    return _rate_limiter().hit(item, _NAMESPACE, keyed_hash(f"once:{name}"))
