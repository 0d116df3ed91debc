"""Settings, read from environment variables with defaults that work for `make run`.

Every variable is documented in the README's "Configuration" table; keep the two in step.
"""

import os
import secrets
import socket
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOCAL_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:{port}/sightline"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or not value.strip() else int(value)


_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(name: str, default: int) -> int:
    """Seconds from `90`, `90s`, `30m`, `6h` or `1d`."""
    value = (os.environ.get(name) or "").strip().lower()
    if not value:
        return default
    unit = _DURATION_UNITS.get(value[-1])
    number = value[:-1] if unit else value
    if not number.isdigit():
        raise ValueError(f"{name}={value!r}: a whole number of seconds, or with s, m, h or d (6h)")
    return int(number) * (unit or 1)


def _instance_secret_key(instance: Path) -> str:
    """A random key kept in instance/secret_key, made on first use.

    Every process of one installation (gunicorn workers, CLI commands) must sign sessions and CSRF tokens with
    the same key; a key per process would make a form served by one worker fail on another."""
    path = instance / "secret_key"
    try:
        instance.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if key:
            return key
        # Another process is writing it this very moment: wait for it rather than using a key of our own.
        for _ in range(50):
            time.sleep(0.02)
            key = path.read_text().strip()
            if key:
                return key
        raise RuntimeError(f"{path} is empty: delete it or set SECRET_KEY") from None
    except OSError:
        # A read-only instance folder (some containers): fall back to a key for this process only.
        return secrets.token_hex(32)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


# The US ALPRs mapped in OpenStreetMap, with each element's version and tags (`out meta`) and a way's centre.
OVERPASS_US_ALPR_QUERY = """[out:json][timeout:300];
area["ISO3166-1"="US"][admin_level=2]->.us;
nwr["man_made"="surveillance"]["surveillance:type"="ALPR"](area.us);
out center meta;"""


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return default if value is None or not value.strip() else float(value)


def from_environment() -> dict:
    """The app's configuration as a plain dict, built at call time (never at import)."""
    instance = Path(os.environ.get("SIGHTLINE_INSTANCE", PROJECT_ROOT / "instance"))
    local_port = os.environ.get("SIGHTLINE_PG_PORT", "54329")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL")
        or LOCAL_DATABASE_URL.format(port=local_port),
        "SQLALCHEMY_ENGINE_OPTIONS": {
            # pre_ping lets the app recover by itself when the database comes back after a restart.
            "pool_pre_ping": True,
            # SQL errors name no bound parameter: those are user text (notes, a flag's words, a receipt
            # hash) and would reach a traceback in the log.
            "hide_parameters": True,
            "pool_size": _int("DATABASE_POOL_SIZE", 5),
            "connect_args": {"connect_timeout": _int("DATABASE_CONNECT_TIMEOUT", 5)},
        },
        "TILE_URL": os.environ.get("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "TILE_ATTRIBUTION": os.environ.get(
            "TILE_ATTRIBUTION",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        ),
        # Who may frame the embeddable map (/embed, and only it): CSP frame-ancestors sources.
        "EMBED_FRAME_ANCESTORS": os.environ.get("EMBED_FRAME_ANCESTORS", "*"),
        # `flask cameras refresh` (and the scheduled refresh, every OSM_REFRESH_EVERY; empty: never): the
        # Overpass API asked, the query, seconds per attempt, retries after the first attempt with exponential
        # backoff from OVERPASS_BACKOFF seconds (a 429's Retry-After wins, up to OVERPASS_MAX_WAIT), and the
        # name this instance gives in its User-Agent (Overpass operators ask for one naming the caller).
        "OVERPASS_URL": os.environ.get("OVERPASS_URL", "https://overpass-api.de/api/interpreter"),
        "OVERPASS_QUERY": os.environ.get("OVERPASS_QUERY") or OVERPASS_US_ALPR_QUERY,
        "OVERPASS_TIMEOUT": _float("OVERPASS_TIMEOUT", 360.0),
        "OVERPASS_RETRIES": _int("OVERPASS_RETRIES", 4),
        "OVERPASS_BACKOFF": _float("OVERPASS_BACKOFF", 30.0),
        "OVERPASS_MAX_WAIT": _float("OVERPASS_MAX_WAIT", 900.0),
        "INSTANCE_NAME": os.environ.get("INSTANCE_NAME") or socket.gethostname(),
        # Seconds a browser or CDN may reuse a vector tile before revalidating it with its ETag.
        "TILE_MAX_AGE": _int("TILE_MAX_AGE", 60),
        "NODE_MODULES": Path(os.environ.get("SIGHTLINE_NODE_MODULES", PROJECT_ROOT / "node_modules")),
        "UPLOAD_DIR": Path(os.environ.get("UPLOAD_DIR", instance / "uploads")),
        # The full open-data exports, written by `flask opendata export` and served from here.
        "EXPORT_DIR": Path(os.environ.get("EXPORT_DIR", instance / "exports")),
        # A whole request: PHOTO_MAX_COUNT photos of PHOTO_MAX_BYTES each plus 1 MiB of form fields. Each file
        # is also capped while it streams in (webapp/kernel/http/uploads.py), so one 25 MB photo is refused
        # early.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 101 * 1024 * 1024),
        "PHOTO_MAX_BYTES": _int("PHOTO_MAX_BYTES", 20 * 1024 * 1024),
        # A moderator's upload of a search audit log (issue 21): streamed to this folder (shared with the job
        # workers; empty: UPLOAD_DIR/search-logs), at most this many bytes per file; the job deletes the file
        # once it has read it.
        "SEARCH_LOG_UPLOAD_DIR": os.environ.get("SEARCH_LOG_UPLOAD_DIR", ""),
        "SEARCH_LOG_UPLOAD_BYTES": _int("SEARCH_LOG_UPLOAD_BYTES", 512 * 1024 * 1024),
        "PHOTO_MAX_COUNT": _int("PHOTO_MAX_COUNT", 5),
        # 50 megapixels admits 48 MP phone cameras and refuses decompression bombs before they are decoded.
        "PHOTO_MAX_PIXELS": _int("PHOTO_MAX_PIXELS", 50_000_000),
        # Memory one photo may take to process (the decode, then its display-size copies in RGB: what it
        # really takes, webapp.photos.pipeline.decoded_bytes): one 50 MP colour photo fits, a photo with
        # transparency counts twice (a full-size copy to shrink it). Checked for every photo before any is
        # decoded; a report's photos are decoded one at a time.
        "PHOTO_MAX_DECODED_BYTES": _int("PHOTO_MAX_DECODED_BYTES", 256 * 1024 * 1024),
        # Photos decoded at once per process (a gunicorn worker's threads share it), and how long a report
        # waits for its turn before a 503: a worker's photo memory is at most this many decodes.
        "PHOTO_MAX_CONCURRENT_DECODES": _int("PHOTO_MAX_CONCURRENT_DECODES", 1),
        "PHOTO_DECODE_WAIT_SECONDS": _int("PHOTO_DECODE_WAIT_SECONDS", 30),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("HTTPS", False),
        "REMEMBER_COOKIE_SECURE": _flag("HTTPS", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "HTTPS": _flag("HTTPS", False),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # The daily salt of the rate-limit keys: never in the counters' keyspace
        # (webapp/kernel/http/ratelimit.py).
        "RATELIMIT_SALT_URI": os.environ.get("RATELIMIT_SALT_URI", "memory://"),
        # The job queue (webapp.jobs, RQ); empty: no queue, jobs cannot be enqueued. `make run` sets it.
        "JOBS_REDIS_URL": os.environ.get("JOBS_REDIS_URL", ""),
        # A failed job is retried this many times (after 10 s, 1 min, 5 min, 15 min), then shown as failed.
        "JOB_RETRIES": _int("JOB_RETRIES", 3),
        # Seconds a job may run before its worker stops it (and retries it).
        "JOB_TIMEOUT": _int("JOB_TIMEOUT", 2 * 3600),
        # How long finished and failed jobs stay listed on /moderate/jobs (seconds).
        "JOB_KEEP_SECONDS": _int("JOB_KEEP_SECONDS", 24 * 3600),
        "JOB_KEEP_FAILED_SECONDS": _int("JOB_KEEP_FAILED_SECONDS", 7 * 24 * 3600),
        # Seconds between two checks of the export files against the data (0: never; the files then follow
        # only `flask opendata export`).
        "EXPORT_CHECK_EVERY": _duration("EXPORT_CHECK_EVERY", 15),
        # How often the worker refreshes the cameras from OpenStreetMap (seconds, or 30m, 6h, 1d); 0: never.
        "OSM_REFRESH_EVERY": _duration("OSM_REFRESH_EVERY", 0),
        # A data release (webapp.releases) once the latest is this many days old; the worker checks hourly.
        # 0: never (only `flask opendata release` by hand).
        "RELEASE_EVERY_DAYS": _int("RELEASE_EVERY_DAYS", 30),
        # How many reverse proxies stand in front and append to X-Forwarded-For / -Proto (0: none, the headers
        # are ignored). Behind one TLS proxy this is 1; without it every client would share its address.
        "PROXY_HOPS": _int("PROXY_HOPS", 0),
        "RATELIMIT_SUBMIT": os.environ.get("RATELIMIT_SUBMIT", "10/hour"),
        "RATELIMIT_FLAG": os.environ.get("RATELIMIT_FLAG", "5/hour"),
        "RATELIMIT_PHOTO_POSITION": os.environ.get("RATELIMIT_PHOTO_POSITION", "60/hour"),
        # Static PNGs of a map view (GET /map.png) per client: each is drawn on the server.
        "RATELIMIT_MAP_IMAGE": os.environ.get("RATELIMIT_MAP_IMAGE", "60/hour"),
        # Uploaded or drawn areas and routes analysed per client (coverage, receivers of an area).
        "RATELIMIT_ANALYSIS": os.environ.get("RATELIMIT_ANALYSIS", "60/hour"),
        # Failed logins allowed per account and per client (keyed hashes) before logins are refused. The
        # account's limits are a ladder (a growing delay): once one is full, the account refuses every client
        # but its owner's known devices until that window frees a slot (webapp.accounts.throttle).
        "LOGIN_LIMIT_ACCOUNT": os.environ.get(
            "LOGIN_LIMIT_ACCOUNT", "5 per minute; 10 per 15 minutes; 20 per hour; 50 per day"
        ),
        "LOGIN_LIMIT_CLIENT": os.environ.get("LOGIN_LIMIT_CLIENT", "30 per 15 minutes"),
        # A known-device cookie (signed, set at a successful login) lets its account in despite the lock.
        "KNOWN_DEVICE_DAYS": _int("KNOWN_DEVICE_DAYS", 90),
        # Moderators and admins must set up a second factor (TOTP) before they may moderate.
        "REQUIRE_TOTP_FOR_MODERATORS": _flag("REQUIRE_TOTP_FOR_MODERATORS", False),
        "RATELIMIT_HEADERS_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "en",
        "WTF_CSRF_TIME_LIMIT": None,
        # Flask-WTF's HTTPS check wants a same-site Referer, which our Referrer-Policy (no-referrer) never
        # lets a browser send: every form would fail over HTTPS. webapp/kernel/http/request_origin.py checks
        # Sec-Fetch-Site and Origin instead.
        "WTF_CSRF_SSL_STRICT": False,
    }
