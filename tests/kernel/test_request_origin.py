"""Posts from other sites: the submission API refuses a browser's cross-site post (Sec-Fetch-Site, Origin,
a null Origin) and keeps serving apps and scripts, which send neither; forms check Origin instead of
Flask-WTF's HTTPS Referer check, which our no-referrer policy made refuse every form over HTTPS."""

import io
import re

import pytest
from sqlalchemy import func, select

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.support.photo_samples import jpeg
from webapp.kernel.data.models import Sighting
from webapp.kernel.extensions import db

REPORT = {"lat": "41.88", "lon": "-87.63", "directions": "90", "vendor": "flock-safety"}


def report(client, headers: dict, base_url: str = "http://localhost"):
    data = {**REPORT, "photos": [(io.BytesIO(jpeg(metadata=False)), "p.jpg")]}
    return client.post("/api/v1/sightings", data=data, headers=headers, base_url=base_url)


def sightings() -> int:
    return db.session.scalar(select(func.count(Sighting.id)))


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://blog.localhost"},
        {"Origin": "https://evil.example"},
        {"Origin": "http://localhost.evil.example"},
        # A page of another site can make its Origin null (a sandboxed frame, its own no-referrer policy).
        {"Origin": "null"},
    ],
)
def test_the_api_refuses_a_browsers_post_from_another_site(client, app_context, headers):
    before = sightings()
    response = report(client, headers)
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"
    assert "another website" in response.get_json()["message"]
    assert sightings() == before


@pytest.mark.parametrize(
    "headers",
    [
        {},  # an app, a script, curl
        {"Sec-Fetch-Site": "same-origin", "Origin": "null"},  # our own page, under no-referrer
        {"Origin": "http://localhost"},
        {"Sec-Fetch-Site": "none"},
    ],
)
def test_apps_scripts_and_this_sites_pages_still_report(client, app_context, headers):
    assert report(client, headers).status_code == 201


def _csrf_app(app_with, **settings):
    return app_with(WTF_CSRF_ENABLED=True, **settings)


def _log_in(client, headers: dict, base_url: str):
    page = client.get("/login", base_url=base_url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    return client.post(
        "/login",
        data={"login": "origin_user", "password": DEFAULT_PASSWORD, "csrf_token": token},
        headers=headers,
        base_url=base_url,
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://localhost"},
        {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
        {},
    ],
)
def test_forms_work_over_https_without_a_referer(app_with, app_context, headers):
    make_user("origin_user")
    client = _csrf_app(app_with, HTTPS=True).test_client()
    response = _log_in(client, headers, "https://localhost")
    assert response.status_code == 302, response.get_data(as_text=True)


def test_forms_work_behind_the_tls_proxy(app_with, app_context):
    make_user("origin_user")
    client = _csrf_app(app_with, PROXY_HOPS=1).test_client()
    headers = {"X-Forwarded-Proto": "https", "Origin": "https://localhost"}
    assert _log_in(client, headers, "http://localhost").status_code == 302


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://localhost"}],
)
def test_a_form_posted_from_another_origin_is_refused_even_with_a_token(app_with, app_context, headers):
    make_user("origin_user")
    client = _csrf_app(app_with, HTTPS=True).test_client()
    # http://localhost is another origin than https://localhost.
    response = _log_in(client, headers, "https://localhost")
    assert response.status_code == 403
