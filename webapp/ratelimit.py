"""Rate limiting without identity: limits are keyed on a keyed hash of the client address.

The key is HMAC-SHA256(salt, address) where the salt is random and rotates every UTC day. It lives only in
process memory, or in Redis beside the counters when RATELIMIT_STORAGE_URI points at Redis (so that every
worker agrees on it). Once a day's salt is gone, nobody can tell which address a counter belonged to.
"""

import hashlib
import hmac
import secrets
import threading
from datetime import UTC, datetime

from flask import current_app, request
from flask_limiter import Limiter

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


limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=True)
