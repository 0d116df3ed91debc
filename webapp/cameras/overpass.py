"""Asking the Overpass API for OpenStreetMap's ALPRs (`flask cameras refresh`): one POST of the configured
query, a User-Agent naming this instance, a timeout per attempt, and retries with exponential backoff for what
passes (a refused or dropped connection, a timeout, a body cut short, HTTP 429/5xx, an Overpass error remark
such as "runtime error: Query timed out"); a 429's or 503's Retry-After is honoured. The answer is read by
webapp.cameras.osm_files like any Overpass JSON file; nothing here touches the database.
"""

import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata

from webapp.cameras.osm_files import OVERPASS, CameraFile, UnknownFileFormat, camera_file_from_bytes

# HTTP statuses worth asking again: too many requests, and the server busy or restarting.
RETRIED_STATUSES = {429, 500, 502, 503, 504}
# The US answer is about 30 MB of JSON; a larger one is not what was asked for.
MAX_ANSWER_BYTES = 512 * 1024 * 1024


class OverpassUnavailable(Exception):
    """Overpass gave no usable answer (after the retries when the failure may pass); the message says why."""


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


@dataclass(frozen=True)
class OverpassSettings:
    url: str
    query: str
    timeout: float
    retries: int
    backoff: float
    max_wait: float
    user_agent: str

    @classmethod
    def from_config(cls, config) -> "OverpassSettings":
        if urllib.parse.urlsplit(config["OVERPASS_URL"]).scheme not in ("http", "https"):
            raise OverpassUnavailable(f"OVERPASS_URL must be an http(s) URL, not {config['OVERPASS_URL']!r}")
        return cls(
            url=config["OVERPASS_URL"],
            query=config["OVERPASS_QUERY"],
            timeout=config["OVERPASS_TIMEOUT"],
            retries=config["OVERPASS_RETRIES"],
            backoff=config["OVERPASS_BACKOFF"],
            max_wait=config["OVERPASS_MAX_WAIT"],
            user_agent=user_agent(config["INSTANCE_NAME"]),
        )

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.url).netloc or self.url


def user_agent(instance_name: str) -> str:
    try:
        version = metadata.version("sightline")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"Sightline/{version} (instance: {instance_name}; refresh of OpenStreetMap ALPRs)"


def fetch_cameras(
    settings: OverpassSettings,
    progress: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> CameraFile:
    """The Overpass answer to the configured query as a complete CameraFile; OverpassUnavailable otherwise.
    `progress(message)` hears of each attempt and wait."""
    say = progress or (lambda _message: None)
    attempts = settings.retries + 1
    for attempt in range(1, attempts + 1):
        say(f"asking {settings.host} (attempt {attempt} of {attempts})")
        try:
            return _answer(settings)
        except _Retry as failure:
            if attempt == attempts:
                raise OverpassUnavailable(
                    f"{settings.host} gave no usable answer in {attempts} attempts "
                    f"(the last: {failure.reason})"
                ) from None
            wait = failure.wait if failure.wait is not None else settings.backoff * 2 ** (attempt - 1)
            wait = min(max(wait, 0.0), settings.max_wait)
            say(f"{failure.reason}; asking again in {wait:.0f} s")
            sleep(wait)
    raise AssertionError("unreachable")  # the loop returns or raises


def _answer(settings: OverpassSettings) -> CameraFile:
    request = urllib.request.Request(  # noqa: S310 (from_config admits http and https only)
        settings.url,
        data=urllib.parse.urlencode({"data": settings.query}).encode(),
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout) as response:  # noqa: S310
            body = response.read(MAX_ANSWER_BYTES + 1)
            announced = response.headers.get("Content-Length", "")
        # A read of a given size returns what came before the connection closed, without an error.
        if announced.isdigit() and len(body) < int(announced) <= MAX_ANSWER_BYTES:
            raise http.client.IncompleteRead(body, int(announced) - len(body))
    except urllib.error.HTTPError as error:
        if error.code in RETRIED_STATUSES:
            raise _Retry(f"HTTP {error.code}", retry_after(error.headers.get("Retry-After"))) from None
        raise OverpassUnavailable(f"{settings.host} refused the query: HTTP {error.code}") from None
    except http.client.IncompleteRead as error:
        raise _Retry(f"the answer was cut short after {len(error.partial):,} bytes") from None
    except TimeoutError:
        raise _Retry(f"no answer within {settings.timeout:g} s") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise _Retry(f"no answer within {settings.timeout:g} s") from None
        raise _Retry(f"connection failed ({reason})") from None
    if len(body) > MAX_ANSWER_BYTES:
        raise OverpassUnavailable(f"{settings.host} answered more than {MAX_ANSWER_BYTES:,} bytes")
    try:
        camera_file = camera_file_from_bytes(body, f"the answer of {settings.host}")
    except UnknownFileFormat as error:
        raise _Retry(str(error)) from None
    if camera_file.file_format != OVERPASS:
        raise OverpassUnavailable(f"{settings.host} answered JSON that is not Overpass JSON")
    if camera_file.partial_because:
        raise _Retry(f"Overpass reported an error: {camera_file.partial_because}")
    return camera_file


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if absent or unreadable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
