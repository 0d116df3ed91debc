"""The origin checks in a real browser, with CSRF protection on and HTTPS as the app sees it behind the TLS
proxy (PROXY_HOPS=1, the proxy's X-Forwarded-Proto): our own login form works although the page's
no-referrer policy leaves out the Referer, and a page of another origin cannot make its visitor file a
report through the API."""

import threading

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.factories import DEFAULT_PASSWORD, make_user
from webapp.kernel.data.models import Sighting
from webapp.kernel.extensions import db

# A page of another origin (another port) that posts a report form to the app as soon as it loads.
ATTACKER_PAGE = """<!doctype html><html><body>
<form id="f" method="post" enctype="multipart/form-data" action="{target}/api/v1/sightings">
<input name="lat" value="41.88"><input name="lon" value="-87.63"><input name="directions" value="90">
<input name="vendor" value="flock-safety"></form>
<script>document.getElementById("f").submit();</script></body></html>"""


def _serve(wsgi_app):
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def protected_server(app_with, committing_db):
    app = app_with(WTF_CSRF_ENABLED=True, PROXY_HOPS=1)
    with app.app_context():
        make_user("browser_moderator", role="moderator")
        db.session.commit()
    server, thread = _serve(app)
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def https_page(chromium):
    # What the TLS proxy adds to every request it passes on.
    context = chromium.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.browser
def test_the_login_form_works_over_https_without_a_referer(protected_server, https_page):
    _app, url = protected_server
    sent = []
    https_page.on("request", lambda request: request.method == "POST" and sent.append(request.headers))
    https_page.goto(f"{url}/login")
    https_page.fill("input[name=login]", "browser_moderator")
    https_page.fill("input[name=password]", DEFAULT_PASSWORD)
    https_page.click("button[type=submit]")
    https_page.wait_for_load_state("networkidle")
    assert "/moderate" in https_page.url, https_page.content()[:500]
    assert sent and "referer" not in sent[0]


@pytest.mark.browser
def test_a_page_of_another_origin_cannot_file_a_report(protected_server, https_page):
    app, url = protected_server

    def attacker(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html")])
        return [ATTACKER_PAGE.format(target=url).encode()]

    server, thread = _serve(attacker)
    try:
        with https_page.expect_response(lambda response: "/api/v1/sightings" in response.url) as answer:
            https_page.goto(f"http://localhost:{server.server_port}/")
        assert answer.value.status == 403
    finally:
        server.shutdown()
        thread.join(timeout=5)
    with app.app_context():
        assert db.session.scalar(select(func.count(Sighting.id))) == 0
