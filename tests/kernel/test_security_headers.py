"""Every GET route answers with the security headers, whatever its status."""

import re

import pytest

from tests.factories import log_in, make_user

# Sample values for URL arguments, by name; anything else gets "1".
SAMPLE_ARGUMENTS = {"package": "leaflet", "path": "dist/leaflet.js", "filename": "css/site.css"}


def get_urls(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = re.sub(rf"<(?:[^:<>]+:)?{argument}>", SAMPLE_ARGUMENTS.get(argument, "1"), url)
        urls.append(url)
    return sorted(set(urls))


# The one page other sites may frame (webapp.kernel.http.security.frameable): tests/map/test_embed.py checks
# it.
FRAMEABLE = {"/embed"}


def assert_security_headers(response, basemap_host: str | None, frameable: bool = False):
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    script_sources = directives["script-src"].split()
    assert "'unsafe-inline'" not in script_sources and "'unsafe-eval'" not in script_sources
    assert any(source.startswith("'nonce-") for source in script_sources)
    image_sources = set(directives["img-src"].split()) - {"'self'", "data:", "blob:"}
    assert image_sources == ({f"https://{basemap_host}"} if basemap_host else set())
    if frameable:
        assert directives["frame-ancestors"] != "'none'" and "X-Frame-Options" not in headers
    else:
        assert directives["frame-ancestors"] == "'none'" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "geolocation=(self)" in headers["Permissions-Policy"]


@pytest.mark.parametrize("role", [None, "admin"])
def test_every_get_route_sends_the_headers(app, client, exports_written, job_queue, role):
    """Anonymous visitors are sent to the login page by the moderation routes; an admin sees them all."""
    if role:
        log_in(client, make_user(role=role))
    urls = get_urls(app)
    assert "/" in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert_security_headers(response, basemap_host=None, frameable=url in FRAMEABLE)
        assert "Strict-Transport-Security" not in response.headers


def test_basemap_host_and_hsts_when_configured(app_with):
    app = app_with(TILE_URL="https://{s}.tiles.example.net/{z}/{x}/{y}.png", HTTPS=True)
    response = app.test_client().get("/privacy")
    assert_security_headers(response, basemap_host="*.tiles.example.net")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "tiles.example.net" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/no-such-page", "/api/v1/no-such-thing"])
def test_error_pages_carry_the_headers_too(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert_security_headers(response, basemap_host=None)


def test_each_request_gets_a_new_nonce(client):
    first = client.get("/privacy").headers["Content-Security-Policy"]
    second = client.get("/privacy").headers["Content-Security-Policy"]
    assert first != second
