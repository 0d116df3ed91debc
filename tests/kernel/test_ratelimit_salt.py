"""The daily salt of the rate-limit keys: in a real Redis it lives in another database than the counters,
every worker uses the same one, and it is deleted within an hour after its UTC day (so at most today's and
yesterday's exist)."""

from datetime import UTC, datetime

import pytest

from tests.support.redisserver import TemporaryRedis
from webapp.kernel.http import ratelimit


@pytest.fixture(scope="module")
def redis_server():
    with TemporaryRedis() as server:
        yield server


def redis_app(app_with, server, **settings):
    return app_with(
        RATELIMIT_ENABLED=True,
        RATELIMIT_SUBMIT="100/hour",
        RATELIMIT_STORAGE_URI=server.url(0),
        RATELIMIT_SALT_URI=server.url(1),
        **settings,
    )


def test_the_salt_never_shares_the_counters_keyspace(app_with, redis_server):
    client = redis_app(app_with, redis_server).test_client()
    response = client.post("/api/v1/sightings", data={}, environ_base={"REMOTE_ADDR": "192.0.2.77"})
    assert response.status_code == 400
    assert response.headers["X-RateLimit-Remaining"] == "99"
    counters = [key.decode() for key in redis_server.client(0).keys("*")]
    salts = [key.decode() for key in redis_server.client(1).keys("*")]
    assert counters and not [key for key in counters if "salt" in key]
    assert salts == [ratelimit.SALT_KEY.format(day=datetime.now(UTC).strftime("%Y-%m-%d"))]
    # No counter key carries the address, and none is the salt.
    salt = redis_server.client(1).get(salts[0])
    assert len(salt) == 32
    for key in counters:
        assert "192.0.2.77" not in key
        assert redis_server.client(0).get(key) != salt


def test_the_salt_is_deleted_an_hour_after_its_day(app_with, redis_server):
    app = redis_app(app_with, redis_server)
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    with app.test_request_context():
        ratelimit.daily_salt()
    expires = redis_server.client(1).expiretime(ratelimit.SALT_KEY.format(day=day))
    midnight_after = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC).timestamp() + 86400
    assert expires == midnight_after + ratelimit.SALT_GRACE_SECONDS
    assert ratelimit.salt_expires_at("2026-03-01") == int(datetime(2026, 3, 2, 1, 0, tzinfo=UTC).timestamp())


def test_every_worker_hashes_with_the_same_salt(app_with, redis_server):
    first = redis_app(app_with, redis_server)
    second = redis_app(app_with, redis_server)
    ratelimit._redis_salts.clear()  # as if in another process
    with first.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.8"}):
        key = ratelimit.client_key()
    ratelimit._redis_salts.clear()
    with second.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.8"}):
        assert ratelimit.client_key() == key


@pytest.mark.parametrize(
    ("counters", "salt", "problem"),
    [
        ("redis://redis:6379/0", "redis://redis:6379/0", "another Redis database"),
        ("redis://redis:6379", "redis://redis:6379/0", "another Redis database"),
        ("redis://redis:6379/0", "memory://", "must name a Redis database"),
        ("redis://redis:6379/0", "", "must name a Redis database"),
    ],
)
def test_settings_that_would_put_the_salt_beside_the_counters_are_refused(app_with, counters, salt, problem):
    with pytest.raises(ValueError, match=problem):
        app_with(RATELIMIT_STORAGE_URI=counters, RATELIMIT_SALT_URI=salt)


def test_in_memory_the_salt_of_a_past_day_is_forgotten(app):
    with app.test_request_context():
        today = ratelimit.daily_salt()
        assert list(ratelimit._salts) == [datetime.now(UTC).strftime("%Y-%m-%d")]
        ratelimit._salts["2020-01-01"] = b"old"
        del ratelimit._salts[datetime.now(UTC).strftime("%Y-%m-%d")]
        fresh = ratelimit.daily_salt()
        assert "2020-01-01" not in ratelimit._salts
        assert fresh != today
