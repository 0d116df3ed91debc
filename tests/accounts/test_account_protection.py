"""Issue 20, finding 5: per-account protection that does not depend on the client. Guesses spread over many
addresses are refused once the account's limit is reached (a growing delay); the owner's known-device cookie
still gets in; a TOTP second factor can be enrolled, is needed at login once it is, and can be required for
moderators."""

import re
import secrets
import time

import pyotp
import pytest

from tests.factories import DEFAULT_PASSWORD, make_user
from webapp.accounts import two_factor
from webapp.accounts.known_devices import COOKIE
from webapp.kernel.extensions import db

PROXY = "172.18.0.1"  # every request arrives from the trusted proxy, the client in X-Forwarded-For


def fresh_address() -> str:
    return "198.51." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(2))


def login_answer(client, login: str, password: str, address: str | None = None):
    """A login attempt from `address` (a new one when not given) behind the trusted proxy."""
    return client.post(
        "/login",
        data={"login": login, "password": password},
        headers={"X-Forwarded-For": address or fresh_address()},
        environ_base={"REMOTE_ADDR": PROXY},
    )


def attempt(client, login: str, password: str, address: str | None = None) -> int:
    return login_answer(client, login, password, address).status_code


@pytest.fixture
def guarded_app(app_with):
    return app_with(
        RATELIMIT_ENABLED=True,
        PROXY_HOPS=1,
        LOGIN_LIMIT_ACCOUNT="5 per 15 minutes",
        LOGIN_LIMIT_CLIENT="3 per 15 minutes",
    )


def test_guesses_spread_over_many_addresses_are_refused_once_the_account_limit_is_reached(
    guarded_app, app_context
):
    user = make_user(f"spread_{secrets.token_hex(3)}", role="moderator")
    attacker = guarded_app.test_client()
    # Five guesses, each from an address never seen before: each gets a real check...
    assert [attempt(attacker, user.login, f"guess number {n}") for n in range(5)] == [401] * 5
    # ...and then the account refuses every new address, the right password included, and says for how long.
    for _ in range(5):
        assert attempt(attacker, user.login, f"another guess {secrets.token_hex(2)}") == 429
    refused = login_answer(attacker, user.login, DEFAULT_PASSWORD)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60


def test_the_owners_known_device_logs_in_despite_the_lock(guarded_app, app_context):
    user = make_user(f"owner_{secrets.token_hex(3)}", role="moderator")
    other = make_user(f"other_{secrets.token_hex(3)}", role="moderator")
    owner, attacker, stranger = (guarded_app.test_client() for _ in range(3))
    home = fresh_address()
    # A successful login leaves a signed known-device cookie (for /login only, HttpOnly) in the browser.
    answer = login_answer(owner, user.login, DEFAULT_PASSWORD, address=home)
    assert answer.status_code == 302
    cookie = next(value for value in answer.headers.getlist("Set-Cookie") if value.startswith(f"{COOKIE}="))
    assert "Path=/login" in cookie and "HttpOnly" in cookie
    assert home not in cookie and user.login not in cookie
    owner.post("/logout")
    # The stranger's device knows another account: that does not open this one.
    assert attempt(stranger, other.login, DEFAULT_PASSWORD) == 302
    stranger.post("/logout")

    assert [attempt(attacker, user.login, f"guess {n}") for n in range(5)] == [401] * 5
    assert attempt(attacker, user.login, DEFAULT_PASSWORD) == 429
    assert attempt(stranger, user.login, DEFAULT_PASSWORD) == 429
    # The owner's browser still gets in, from home or from anywhere (the cookie is what counts)...
    assert attempt(owner, user.login, DEFAULT_PASSWORD, address=home) == 302
    owner.post("/logout")
    assert attempt(owner, user.login, DEFAULT_PASSWORD) == 302
    owner.post("/logout")
    # ...but still needs the password: a wrong one from the known device is refused.
    assert attempt(owner, user.login, "not the password") == 401
    # A forged cookie is worth nothing.
    attacker.set_cookie(COOKIE, cookie.split(";")[0].split("=", 1)[1][:-4] + "AAAA", path="/login")
    assert attempt(attacker, user.login, DEFAULT_PASSWORD) == 429


def test_the_delay_grows_with_the_failures(app_with, app_context):
    app = app_with(
        RATELIMIT_ENABLED=True,
        PROXY_HOPS=1,
        LOGIN_LIMIT_ACCOUNT="2 per 5 seconds; 3 per 1 hour",
        LOGIN_LIMIT_CLIENT="30 per 15 minutes",
    )
    user = make_user(f"delay_{secrets.token_hex(3)}")
    client = app.test_client()

    def retry_after() -> int:
        answer = login_answer(client, user.login, DEFAULT_PASSWORD)
        assert answer.status_code == 429
        return int(answer.headers["Retry-After"])

    assert [attempt(client, user.login, "wrong one") for _ in range(2)] == [401, 401]
    assert retry_after() <= 5  # the first rung: seconds
    time.sleep(5.1)
    assert attempt(client, user.login, "wrong again") == 401
    assert retry_after() > 3000  # the third failure in the hour: the hour's rung


def enrol(client) -> str:
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    assert f"secret={secret}" in page and "otpauth://totp/" in page
    return secret


def test_enrol_then_log_in_with_a_code(client, app_context):
    user = make_user(f"totp_{secrets.token_hex(3)}")
    assert client.post("/login", data={"login": user.login, "password": DEFAULT_PASSWORD}).status_code == 302
    secret = enrol(client)
    totp = pyotp.TOTP(secret)
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    assert client.post("/account/two-factor", data={"code": wrong}).status_code == 400
    assert user.totp_secret is None
    assert client.post("/account/two-factor", data={"code": totp.now()}).status_code == 302
    db.session.refresh(user)
    # Stored encrypted: the row does not hold the secret, and another SECRET_KEY cannot read it.
    assert user.totp_secret and secret not in user.totp_secret
    assert two_factor.unseal(user.totp_secret, user.id) == secret
    assert two_factor.unseal(user.totp_secret, user.id + 1) is None
    assert "Two-step login is on" in client.get("/account/two-factor").get_data(as_text=True)
    client.post("/logout")

    def log_in(code: str) -> int:
        return client.post(
            "/login", data={"login": user.login, "password": DEFAULT_PASSWORD, "code": code}
        ).status_code

    assert log_in("") == 401  # the password alone no longer does
    assert log_in(wrong) == 401
    assert "Wrong login, password or code." in client.post(
        "/login", data={"login": user.login, "password": DEFAULT_PASSWORD, "code": wrong}
    ).get_data(as_text=True)
    next_code = totp.at(time.time() + 30)  # the enrolment used this step's code; a code works once
    assert log_in(next_code) == 302
    client.post("/logout")
    assert log_in(next_code) == 401


def test_another_secret_key_cannot_read_a_stored_secret(app_with, app_context):
    user = make_user(f"sealed_{secrets.token_hex(3)}")
    with app_with().app_context():
        sealed = two_factor.seal("JBSWY3DPEHPK3PXP", user.id)
        assert two_factor.unseal(sealed, user.id) == "JBSWY3DPEHPK3PXP"
    with app_with(SECRET_KEY="another secret key").app_context():
        assert two_factor.unseal(sealed, user.id) is None


def test_a_second_factor_can_be_required_for_moderators(app_with, app_context):
    app = app_with(REQUIRE_TOTP_FOR_MODERATORS=True)
    moderator = make_user(f"mod_{secrets.token_hex(3)}", role="moderator")
    reporter = make_user(f"rep_{secrets.token_hex(3)}")
    client = app.test_client()
    # The moderator's password still opens a session, but only to set the second factor up.
    answer = client.post("/login", data={"login": moderator.login, "password": DEFAULT_PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/account/two-factor")
    blocked = client.get("/moderate")
    assert blocked.status_code == 302 and blocked.headers["Location"].endswith("/account/two-factor")
    api = client.post(
        "/api/v1/moderation/sightings/1/verify", json={}, headers={"Accept": "application/json"}
    )
    assert api.status_code == 403
    assert client.get("/account/sightings").status_code == 200  # a reporter's pages stay open
    secret = enrol(client)
    assert client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/moderate").status_code == 200
    # Required: it cannot be turned off.
    off = client.post("/account/two-factor/disable", data={"code": pyotp.TOTP(secret).at(time.time() + 30)})
    assert off.status_code == 400
    client.post("/logout")
    # A reporter is not asked for one.
    answer = client.post("/login", data={"login": reporter.login, "password": DEFAULT_PASSWORD})
    assert answer.status_code == 302 and "/account/two-factor" not in answer.headers["Location"]
