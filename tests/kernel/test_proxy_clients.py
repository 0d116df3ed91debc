"""Rate limits behind the reverse proxy: with PROXY_HOPS set, each client behind the proxy has its own budget
(ProxyFix reads the last X-Forwarded-For hop); without it the header is ignored; IPv6 clients count by /64."""

import secrets

import pytest

from tests.factories import DEFAULT_PASSWORD, make_user
from webapp.kernel.http.proxy import client_network

PROXY = "172.18.0.1"  # every request arrives from the proxy's address
INCOMPLETE = {"directions": "90", "vendor": "flock-safety"}


def fresh_ipv4() -> str:
    return "198.51." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(2))


def fresh_ipv6_network() -> str:
    """The first four groups of an IPv6 address (a /64) no other test used."""
    return "2001:db8:" + ":".join(f"{secrets.randbelow(0xFFFF):x}" for _ in range(2))


def limited_app(app_with, **settings):
    return app_with(RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT="2/hour", **settings)


def submit(client, forwarded_for: str | None = None, remote: str = PROXY) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        "/api/v1/sightings", data=INCOMPLETE, headers=headers, environ_base={"REMOTE_ADDR": remote}
    ).status_code


def test_behind_the_proxy_each_client_has_its_own_budget(app_with):
    client = limited_app(app_with, PROXY_HOPS=1).test_client()
    first, second = fresh_ipv4(), fresh_ipv4()
    assert [submit(client, first) for _ in range(3)] == [400, 400, 429]
    # Another visitor behind the same proxy is not blocked by the first one's reports.
    assert submit(client, second) == 400


def test_a_client_cannot_buy_fresh_budgets_by_writing_the_header_itself(app_with):
    client = limited_app(app_with, PROXY_HOPS=1).test_client()
    real = fresh_ipv4()
    assert submit(client, real) == 400
    assert submit(client, real) == 400
    # The proxy appends the real address to whatever the client sent: only the last hop counts.
    assert submit(client, f"{fresh_ipv4()}, {real}") == 429


def test_without_a_trusted_proxy_the_header_is_ignored(app_with):
    client = limited_app(app_with).test_client()
    direct = fresh_ipv4()
    assert submit(client, fresh_ipv4(), remote=direct) == 400
    assert submit(client, fresh_ipv4(), remote=direct) == 400
    assert submit(client, fresh_ipv4(), remote=direct) == 429


def test_ipv6_clients_count_by_their_64(app_with):
    client = limited_app(app_with, PROXY_HOPS=1).test_client()
    network = fresh_ipv6_network()
    # A phone or household gets a whole /64: changing the last 64 bits is the same client.
    assert submit(client, f"{network}:0:0:0:1") == 400
    assert submit(client, f"{network}:abcd:1234:5678:9abc") == 400
    assert submit(client, f"{network}:ffff:ffff:ffff:fffe") == 429
    assert submit(client, f"{fresh_ipv6_network()}::1") == 400


def test_failed_logins_behind_the_proxy_lock_the_failing_client(app_with, app_context):
    app = app_with(
        RATELIMIT_ENABLED=True,
        PROXY_HOPS=1,
        LOGIN_LIMIT_ACCOUNT="50 per 15 minutes",
        LOGIN_LIMIT_CLIENT="3 per 15 minutes",
    )
    make_user("proxy_moderator", role="moderator")
    client = app.test_client()
    attacker, moderator = fresh_ipv4(), fresh_ipv4()

    def log_in(address, password):
        return client.post(
            "/login",
            data={"login": "proxy_moderator", "password": password},
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": PROXY},
        ).status_code

    assert [log_in(attacker, "wrong password") for _ in range(4)] == [401, 401, 401, 429]
    assert log_in(moderator, DEFAULT_PASSWORD) == 302


@pytest.mark.parametrize(
    ("address", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", "unknown"),
        (None, "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_client_network(address, client):
    assert client_network(address) == client


def test_proxy_hops_cannot_be_negative(app_with):
    with pytest.raises(ValueError, match="PROXY_HOPS"):
        app_with(PROXY_HOPS=-1)
