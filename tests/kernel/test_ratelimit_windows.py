"""Rate-limit counters reveal no time finer than their window (issue 20, finding 8), read from a real Redis:
every counter's key names its window (one hour from one full hour to the next, one UTC day) and expires at
that window's end, whenever the client's first request of the window came. Flask-Limiter's fixed window set
the expiry an hour after the first report, which told that report's time to the second."""

import time

import pytest

from tests.submit.test_submit_ratelimit import INCOMPLETE, fresh_address
from tests.support.redisserver import TemporaryRedis
from webapp.kernel.http import ratelimit


@pytest.fixture(scope="module")
def redis_server():
    with TemporaryRedis() as server:
        yield server


@pytest.fixture
def redis_app(app_with, redis_server):
    redis_server.client(0).flushdb()
    return app_with(
        RATELIMIT_ENABLED=True,
        RATELIMIT_SUBMIT="3/hour",
        RATELIMIT_STORAGE_URI=redis_server.url(0),
        RATELIMIT_SALT_URI=redis_server.url(1),
    )


def windows_of(redis_server) -> list[tuple[int, int]]:
    """(window number named by the key, expiry in milliseconds) of every counter in Redis."""
    counters = redis_server.client(0)
    found = []
    for key in counters.keys("*"):
        number = int(key.decode().rsplit("/", 1)[1])
        found.append((number, counters.pexpiretime(key)))
    return found


def test_a_report_counter_names_its_hour_and_expires_at_its_end(redis_app, redis_server):
    client = redis_app.test_client()
    address = fresh_address()
    before = time.time()
    for _ in range(2):
        assert (
            client.post(
                "/api/v1/sightings", data=INCOMPLETE, environ_base={"REMOTE_ADDR": address}
            ).status_code
            == 400
        )
    windows = windows_of(redis_server)
    assert len(windows) == 1
    ((number, expires_ms),) = windows
    assert number in (int(before // 3600), int(time.time() // 3600))
    assert expires_ms == (number + 1) * 3600 * 1000
    # The window's count and end are what the client is told too (Flask-Limiter adds a second to the end).
    third = client.post("/api/v1/sightings", data=INCOMPLETE, environ_base={"REMOTE_ADDR": address})
    assert third.headers["X-RateLimit-Remaining"] == "0"
    assert int(third.headers["X-RateLimit-Reset"]) == (number + 1) * 3600 + 1
    assert (
        client.post("/api/v1/sightings", data=INCOMPLETE, environ_base={"REMOTE_ADDR": address}).status_code
        == 429
    )


def test_a_once_a_day_mark_expires_at_midnight_utc(redis_app, redis_server):
    with redis_app.test_request_context():
        client = ratelimit.client_key()
        assert ratelimit.first_time("probe", client) is True
        assert ratelimit.first_time("probe", client) is False
    ((number, expires_ms),) = windows_of(redis_server)
    assert number == int(time.time() // 86400)
    assert expires_ms == (number + 1) * 86400 * 1000


def test_in_memory_the_windows_are_aligned_too(app_with):
    app = app_with(RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT="3/hour")
    client = app.test_client()
    answer = client.post("/api/v1/sightings", data=INCOMPLETE, environ_base={"REMOTE_ADDR": fresh_address()})
    assert int(answer.headers["X-RateLimit-Reset"]) % 3600 == 1
