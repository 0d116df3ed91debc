"""Rate limiting without identity: limits are keyed on a keyed hash of the client (webapp.kernel.http.proxy
says who the client is: the address after the trusted proxies, an IPv6 client by its /64).

The key is HMAC-SHA256(salt, client) where the salt is random and made afresh for every UTC day. It lives
only in process memory, or, when the counters are in Redis (so that every worker agrees on it), in another
Redis database than the counters (RATELIMIT_SALT_URI): a copy of the counters never holds the salt that
would let someone test addresses against their keys. A day's salt is used on that day and deleted at
SALT_GRACE_SECONDS past its end at the latest, so at most today's and yesterday's exist; once a salt is gone,
nobody can tell which client a counter belonged to.

Counters reveal no time finer than their window: every limit counts in fixed windows aligned to the window's
own boundaries (an hourly limit from one full hour to the next, UTC), each counter's key names its window and
it expires at that window's end, whenever the client's first request of the window came
(AlignedWindowRateLimiter). Flask-Limiter's own strategies set a counter's expiry from its first hit, which
told that hit's time to the second.
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
from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_qualified_name
from limits import RateLimitItem
from limits.storage import MemoryStorage, RedisStorage, Storage, storage_from_string
from limits.strategies import RateLimiter
from limits.util import WindowStats

from webapp.kernel.http.proxy import client_address

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


def check_counter_storage(config: dict) -> None:
    """Counters live in process memory or in Redis: the two storages whose expiry AlignedWindowRateLimiter
    sets to the window's end."""
    counters = config.get("RATELIMIT_STORAGE_URI", "memory://")
    if not (counters.startswith("memory://") or _is_redis(counters)):
        raise ValueError(
            f"RATELIMIT_STORAGE_URI must be memory:// or a Redis URL (redis://, rediss://), not {counters!r}"
        )


def check_counters_shared(config: dict, workers: int) -> None:
    """Refuse several worker processes that would each count in their own memory: every limit would be
    multiplied by the number of workers (and each worker would hash with a salt of its own). gunicorn.conf.py
    calls this before it starts any worker."""
    if workers <= 1 or not config.get("RATELIMIT_ENABLED", True):
        return
    if not _is_redis(config.get("RATELIMIT_STORAGE_URI", "memory://")):
        raise RuntimeError(
            f"{workers} workers would each keep rate-limit counters of their own in memory "
            "(RATELIMIT_STORAGE_URI=memory://), so every limit would be multiplied by "
            f"{workers}. Set RATELIMIT_STORAGE_URI and RATELIMIT_SALT_URI to two Redis databases "
            "(e.g. redis://localhost:6379/0 and redis://localhost:6379/1), or run one worker "
            "(WEB_CONCURRENCY=1), or switch the limits off for a benchmark (RATELIMIT_ENABLED=false)."
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


def window_of(seconds: int, at: float) -> tuple[int, int]:
    """(number, end) of the fixed window of `seconds` that holds the Unix time `at`: windows start at the
    epoch, so an hour's start on the hour and a day's at midnight UTC."""
    number = int(at // seconds)
    return number, (number + 1) * seconds


def count_in_window(storage: Storage, key: str, seconds: int, amount: int = 1) -> int:
    """Add `amount` to the counter of the current window of `seconds` and return its count. The key names the
    window and expires at the window's end: the counter says nothing of when it was first counted."""
    number, end = window_of(seconds, time.time())
    key = f"{key}/{number}"
    if isinstance(storage, RedisStorage):
        # EXPIREAT with the window's end, in the same transaction as the count.
        pipeline = storage.get_connection().pipeline(transaction=True)
        pipeline.incrby(storage.prefixed_key(key), amount)
        pipeline.expireat(storage.prefixed_key(key), end)
        return int(pipeline.execute()[0])
    if isinstance(storage, MemoryStorage):
        return storage.incr(key, end - time.time(), amount=amount)
    raise ValueError(f"rate-limit counters cannot be kept in {type(storage).__name__}")


def counted_in_window(storage: Storage, key: str, seconds: int) -> int:
    return storage.get(f"{key}/{window_of(seconds, time.time())[0]}")


class AlignedWindowRateLimiter(RateLimiter):
    """limits' fixed window, aligned: a limit of N per hour counts from one full hour (UTC) to the next,
    under a key that names the hour, expiring at its end (count_in_window)."""

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        return (
            count_in_window(self.storage, item.key_for(*identifiers), item.get_expiry(), cost) <= item.amount
        )

    def test(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        return counted_in_window(self.storage, item.key_for(*identifiers), item.get_expiry()) <= (
            item.amount - cost
        )

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        count = counted_in_window(self.storage, item.key_for(*identifiers), item.get_expiry())
        return WindowStats(window_of(item.get_expiry(), time.time())[1], max(0, item.amount - count))

    def clear(self, item: RateLimitItem, *identifiers: str) -> None:
        number, _end = window_of(item.get_expiry(), time.time())
        self.storage.clear(f"{item.key_for(*identifiers)}/{number}")


def first_time(scope: str, client: str, seconds: int = 86400) -> bool:
    """Whether `client` (a client_key()) does `scope` for the first time in the current window of `seconds`
    (by default the UTC day, the life of the salt its key is hashed with). Kept beside the counters, under
    the keyed hash only, expiring at the window's end."""
    storage = current_app.extensions.get("ratelimit_once")
    if storage is None:
        storage = storage_from_string(current_app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
        current_app.extensions["ratelimit_once"] = storage
    return count_in_window(storage, f"sightline-once/{scope}/{client}", seconds) == 1


_VIEW_LIMITS_CHECKED = "sightline.view_limits_checked"


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter with RATELIMIT_ENABLED honoured per app, counting in aligned windows.

    Flask-Limiter keeps `enabled` on the (module-level, shared) extension object, so initialising a second
    app would switch limits on or off for every app in the process (tests build several). Here the
    extension itself always stays enabled and a request filter reads the current app's setting.
    """

    def init_app(self, app: Flask) -> None:
        check_counter_storage(app.config)
        check_salt_storage(app.config)
        wanted = app.config.get("RATELIMIT_ENABLED", True)
        app.config["RATELIMIT_ENABLED"] = True
        try:
            super().init_app(app)
        finally:
            app.config["RATELIMIT_ENABLED"] = wanted
        # Flask-Limiter builds its strategy from limits' names; ours is not among them.
        self._limiter = AlignedWindowRateLimiter(self._storage)

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        """Flask-Limiter checks a view's own limits (submit_limit, analysis_limit) only once the view is
        called, after every before_request hook: Flask-WTF's CSRF check had parsed the form (up to
        MAX_CONTENT_LENGTH) by then. Here the limiter's before_request hook, which create_app registers before
        the CSRF check, checks them as well, and the view's wrapper does not count them again."""
        if in_middleware:
            super()._check_request_limit(callable_name, in_middleware=True)
            view = current_app.view_functions.get(request.endpoint or "")
            if view is not None:
                super()._check_request_limit(in_middleware=False)
                request.environ[_VIEW_LIMITS_CHECKED] = get_qualified_name(view)
        elif request.environ.get(_VIEW_LIMITS_CHECKED) != callable_name:
            super()._check_request_limit(callable_name, in_middleware=False)


limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=True)


@limiter.request_filter
def _limits_switched_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def _setting(name: str):
    """The limit a setting holds, read at each request (each app has its own)."""
    return lambda: current_app.config[name]


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
    _setting("RATELIMIT_SUBMIT"), scope="submit", methods=["POST"], error_message=_submit_limit_message
)


# Each photo a reporter picks asks once; a budget well above a real report's needs.
photo_position_limit = limiter.limit(
    _setting("RATELIMIT_PHOTO_POSITION"),
    scope="photo-position",
    methods=["POST"],
    error_message=lambda: _("You have sent many photos to read positions from. Please try later."),
)


# One budget for every POST that reads an uploaded area or route and measures it on the server (the coverage
# of a polygon or a route, the receivers of a drawn area): checked before the body is read.
analysis_limit = limiter.shared_limit(
    _setting("RATELIMIT_ANALYSIS"),
    scope="analysis",
    methods=["POST"],
    error_message=lambda: _("You have sent many areas or routes to analyse. Please try later."),
)
