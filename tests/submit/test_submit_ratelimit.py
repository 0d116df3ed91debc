"""The submission rate limit, in an app of its own with limits on: one budget for the form and the API,
per client (a keyed hash of the address), answered with 429, Retry-After and a human message."""

import secrets

import pytest

# Refused submissions (no coordinates) count against the budget just the same, and store nothing.
INCOMPLETE = {"directions": "90", "vendor": "flock-safety"}


@pytest.fixture
def limited_app(app_with):
    return app_with(RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT="3/hour")


def fresh_address() -> str:
    """A client address no other test used: the limiter's counters outlive a test."""
    return "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))


def api(client, address):
    return client.post("/api/v1/sightings", data=INCOMPLETE, environ_base={"REMOTE_ADDR": address})


def form(client, address):
    return client.post("/submit", data=INCOMPLETE, environ_base={"REMOTE_ADDR": address})


def test_the_fourth_submission_in_an_hour_gets_a_429_with_retry_after(limited_app):
    client = limited_app.test_client()
    address = fresh_address()
    for _ in range(3):
        assert api(client, address).status_code == 400
    refused = api(client, address)
    assert refused.status_code == 429
    answer = refused.get_json()
    assert answer["error"] == "rate_limited"
    assert answer["message"].startswith("You have sent many reports from this connection.")
    assert "minute" in answer["message"]
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= 3600


def test_form_and_api_share_one_budget_and_the_form_answers_with_a_page(limited_app):
    client = limited_app.test_client()
    address = fresh_address()
    assert api(client, address).status_code == 400
    assert form(client, address).status_code == 400
    assert api(client, address).status_code == 400
    refused = form(client, address)
    assert refused.status_code == 429
    assert "text/html" in refused.content_type
    assert "You have sent many reports from this connection." in refused.get_data(as_text=True)
    assert refused.headers["Retry-After"]


def test_each_client_has_its_own_budget_and_reading_is_not_limited(limited_app):
    client = limited_app.test_client()
    first, second = fresh_address(), fresh_address()
    for _ in range(3):
        api(client, first)
    assert api(client, first).status_code == 429
    assert api(client, second).status_code == 400
    for _ in range(5):
        assert client.get("/submit", environ_base={"REMOTE_ADDR": first}).status_code == 200


def test_limits_can_be_switched_off(app_with):
    client = app_with(RATELIMIT_SUBMIT="1/hour").test_client()
    address = fresh_address()
    for _ in range(4):
        assert api(client, address).status_code == 400
