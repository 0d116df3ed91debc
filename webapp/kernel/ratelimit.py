"""Rate limiting without identity: limits are keyed on a keyed hash of the client (webapp.kernel.proxy says
who the client is: the address after the trusted proxies, an IPv6 client by its /64).

The key is HMAC-SHA256(salt, client) where the salt is random and made afresh for every UTC day. It lives
only in process memory, or, when the counters are in Redis (so that every worker agrees on it), in another
Redis database than the counters (RATELIMIT_SALT_URI): a copy of the counters never holds the salt that
would let someone test addresses against their keys. A day's salt is used on that day and deleted at
SALT_GRACE_SECONDS past its end at the latest, so at most today's and yesterday's exist; once a salt is gone,
nobody can tell which client a counter belonged to.
"""

import hashlib
import hmac
import math
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import flask_limiter
from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from limits.storage import storage_from_string

from webapp.kernel.proxy import client_address

# Yesterday's salt outlives midnight by this much, for workers whose clocks lag a little; then it is gone.
SALT_GRACE_SECONDS = 3600
# A worker asks Redis for the day's salt again after this long (it finds a new one if Redis restarted).
SALT_CACHE_SECONDS = 60
SALT_KEY = "sightline:ratelimit-salt:{day}"

_salts: dict[str, bytes] = {}
_redis_salts: dict[tuple[str, str], tuple[float, bytes]] = {}
_salts_lock = threading.Lock()


def _now() -> datetime:
    return datetime.now(UTC)


def _is_redis(uri: str) -> bool:
    return uri.startswith(("redis://", "rediss://"))


def redis_keyspace(uri: str) -> tuple:
    """Which Redis database a URI names (host, port, database number), to tell two URIs' keyspaces apart."""
    url = urlsplit(uri)
    database = url.path.strip("/") or "0"
    return ((url.hostname or "localhost").lower(), url.port or 6379, int(database))


def check_salt_storage(config: dict) -> None:
    """Refuse settings that would put the salt beside the counters, or give each worker a salt of its own."""
    counters = config.get("RATELIMIT_STORAGE_URI", "memory://")
    salt = config.get("RATELIMIT_SALT_URI") or "memory://"
    if not _is_redis(counters):
        return
    if not _is_redis(salt):
        raise ValueError(
            "RATELIMIT_SALT_URI must name a Redis database when the counters are in Redis "
            "(every worker needs the same daily salt), e.g. redis://redis:6379/1"
        )
    if redis_keyspace(salt) == redis_keyspace(counters):
        raise ValueError(
            "RATELIMIT_SALT_URI must name another Redis database than RATELIMIT_STORAGE_URI: the salt is "
            "never kept in the counters' keyspace"
        )


def salt_expires_at(day: str) -> int:
    """The Unix time a day's salt is deleted: SALT_GRACE_SECONDS after the end of that UTC day."""
    start = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC)
    return int((start + timedelta(days=1, seconds=SALT_GRACE_SECONDS)).timestamp())


def _redis_client(uri: str):
    import redis  # only needed when Redis holds the salt

    clients = current_app.extensions.setdefault("ratelimit_salt_redis", {})
    if uri not in clients:
        clients[uri] = redis.Redis.from_url(uri)
    return clients[uri]


def _redis_salt(uri: str, day: str) -> bytes:
    cached = _redis_salts.get((uri, day))
    if cached and time.monotonic() - cached[0] < SALT_CACHE_SECONDS:
        return cached[1]
    client = _redis_client(uri)
    key = SALT_KEY.format(day=day)
    # Whichever worker comes first sets the day's salt; the others read it.
    client.set(key, secrets.token_bytes(32), nx=True, exat=salt_expires_at(day))
    salt = client.get(key)
    with _salts_lock:
        for stale in [known for known in _redis_salts if known[1] != day]:
            del _redis_salts[stale]
        _redis_salts[(uri, day)] = (time.monotonic(), salt)
    return salt


def daily_salt() -> bytes:
    day = _now().strftime("%Y-%m-%d")
    uri = current_app.config.get("RATELIMIT_SALT_URI") or "memory://"
    if _is_redis(uri):
        return _redis_salt(uri, day)
    with _salts_lock:
        if day not in _salts:
            _salts.clear()  # forget yesterday's salt: old keys become unlinkable
            _salts[day] = secrets.token_bytes(32)
        return _salts[day]


def keyed_hash(value: str) -> str:
    """HMAC(today's salt, value), shortened: what counters are stored under instead of the value."""
    return hmac.new(daily_salt(), value.encode(), hashlib.sha256).hexdigest()[:32]


def client_key() -> str:
    """The rate-limit key of the current request; the address itself is never stored."""
    return keyed_hash(client_address())


def first_time(scope: str, client: str, seconds: int = 86400) -> bool:
    """Whether `client` (a client_key()) does `scope` for the first time within `seconds`, as far as it can be
    recognised: its key changes with the daily salt. Kept beside the counters, under the keyed hash only."""
    storage = current_app.extensions.get("ratelimit_once")
    if storage is None:
        storage = storage_from_string(current_app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
        current_app.extensions["ratelimit_once"] = storage
    return storage.incr(f"sightline-once/{scope}/{client}", seconds) == 1


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter with RATELIMIT_ENABLED honoured per app.

    Flask-Limiter keeps `enabled` on the (module-level, shared) extension object, so initialising a second
    app would switch limits on or off for every app in the process (tests build several). Here the
    extension itself always stays enabled and a request filter reads the current app's setting.
    """

    def init_app(self, app: Flask) -> None:
        check_salt_storage(app.config)
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


def _photo_position_limit() -> str:
    return current_app.config["RATELIMIT_PHOTO_POSITION"]


# Each photo a reporter picks asks once; a budget well above a real report's needs.
photo_position_limit = limiter.limit(
    _photo_position_limit,
    scope="photo-position",
    methods=["POST"],
    error_message=lambda: _("You have sent many photos to read positions from. Please try later."),
)
