"""Login throttling on keyed hashes only, built so that nobody can lock someone else out.

Failed attempts are counted under keyed hashes (webapp.kernel.ratelimit.keyed_hash, whose salt changes every
UTC day), so the counters never hold a login name or an address:
- per client: a client with LOGIN_LIMIT_CLIENT failures is refused for every account;
- per account, from every client together (LOGIN_LIMIT_ACCOUNT): once full, the account is closed only to the
  clients that took part in failing it (a failure for that account in the same window); a client that has not
  been failing still logs in with the right password, so flooding an admin's login with wrong passwords from
  elsewhere locks out only the flooder.
"""

import math
import time

import limits
from flask import current_app
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from webapp.kernel.proxy import client_address
from webapp.kernel.ratelimit import keyed_hash

_NAMESPACE = "sightline-login"


def _rate_limiter() -> MovingWindowRateLimiter:
    limiter = current_app.extensions.get("login_throttle")
    if limiter is None:
        storage = storage_from_string(current_app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
        limiter = MovingWindowRateLimiter(storage)
        current_app.extensions["login_throttle"] = limiter
    return limiter


def _keys(login: str) -> dict[str, str]:
    account = login.strip().lower()
    client = client_address()
    return {
        "account": keyed_hash(f"account:{account}"),
        "client": keyed_hash(f"client:{client}"),
        "account_client": keyed_hash(f"account-client:{account}:{client}"),
    }


def _limits() -> dict[str, limits.RateLimitItem]:
    account = limits.parse(current_app.config["LOGIN_LIMIT_ACCOUNT"])
    return {
        "account": account,
        "client": limits.parse(current_app.config["LOGIN_LIMIT_CLIENT"]),
        # Counted in the account's window: "has this client failed this account lately?"
        "account_client": account,
    }


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _wait(limiter: MovingWindowRateLimiter, item: limits.RateLimitItem, key: str) -> float:
    reset_at = limiter.get_window_stats(item, _NAMESPACE, key).reset_time
    return max(reset_at - time.time(), 1)


def seconds_until_allowed(login: str) -> int:
    """0 when a login attempt may go ahead; otherwise how long until this client may try again."""
    if not _enabled():
        return 0
    limiter, keys, items = _rate_limiter(), _keys(login), _limits()
    wait = 0.0
    if not limiter.test(items["client"], _NAMESPACE, keys["client"]):
        wait = _wait(limiter, items["client"], keys["client"])
    account_full = not limiter.test(items["account"], _NAMESPACE, keys["account"])
    failed_here = (
        limiter.get_window_stats(items["account_client"], _NAMESPACE, keys["account_client"]).remaining
        < items["account_client"].amount
    )
    if account_full and failed_here:
        # The client may try again as soon as the account's window frees a slot.
        wait = max(wait, _wait(limiter, items["account"], keys["account"]))
    return math.ceil(wait)


def record_failure(login: str) -> None:
    if not _enabled():
        return
    limiter, keys, items = _rate_limiter(), _keys(login), _limits()
    for name, key in keys.items():
        limiter.hit(items[name], _NAMESPACE, key)


def stored_keys() -> list[str]:
    """The counter keys the in-memory storage holds (tests check that no login or address is among them)."""
    storage = _rate_limiter().storage
    return [str(key) for key in getattr(storage, "events", {})] + [
        str(key) for key in getattr(storage, "storage", {})
    ]
