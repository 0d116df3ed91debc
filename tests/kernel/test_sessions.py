"""Public, cacheable answers neither vary on nor set the session cookie, so a CDN can share them; private
pages still do."""

from tests.factories import DEFAULT_PASSWORD, log_in, make_camera, make_user
from webapp.kernel.extensions import db


def test_public_answers_do_not_vary_on_the_cookie_of_a_logged_in_visitor(moderator_client, app_context):
    client = moderator_client
    camera = make_camera(-87.6298, 41.8781)
    public = [
        "/tiles/3/2/5.pbf",
        "/api/v1/cameras?bbox=-87.7,41.8,-87.6,41.9",
        "/npm/leaflet/dist/leaflet.js",
        "/favicon.ico",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.cache_control.public, url
        assert "Cookie" not in response.vary, url
        assert "Set-Cookie" not in response.headers, url
        response.close()

    for url in (f"/cameras/{camera.id}", "/moderate"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cache_control.public, url
        assert "Cookie" in response.vary, url


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _moderator(app, login: str | None = None):
    """A moderator made outside any request: no app context may stay pushed while the test client sends
    requests, or they would share one `g` (and Flask-Login's cached user) instead of loading the session."""
    with app.app_context():
        user = make_user(login, role="moderator")
        db.session.commit()  # into the test's transaction (rolled back at the end)
        return user.id, user.login


def test_login_starts_a_new_session(app, client):
    user_id, login = _moderator(app)
    with client.session_transaction() as session:
        session["planted"] = "by someone who handed this browser a cookie"
    log_in(client, login)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user_id}.1"


def test_logout_ends_every_copy_of_the_session(app, client):
    _user_id, login = _moderator(app)
    log_in(client, login)
    # The same account logged in on another device, and a copy of this browser's cookie (stolen, or a
    # backup of the profile).
    other_device = app.test_client()
    log_in(other_device, login)
    copy = app.test_client()
    copy.set_cookie("session", _session_cookie(client))
    assert copy.get("/moderate").status_code == 200
    assert other_device.get("/moderate").status_code == 200

    assert client.post("/logout").status_code == 302
    for someone in (client, copy, other_device):
        response = someone.get("/moderate")
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    # Logging in again works, with a session of the new version.
    log_in(client, login)
    assert client.get("/moderate").status_code == 200
    with client.session_transaction() as session:
        assert session["_user_id"].endswith(".2")


def test_a_session_from_before_the_versions_is_not_honoured(app, client):
    user_id, _login = _moderator(app)
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    assert client.get("/moderate").status_code == 302


def test_the_cookie_is_secure_whenever_the_request_came_over_https(app_with, app, db_session):
    _moderator(app, "https_user")
    # HTTPS=false (the setting forgotten), but the proxy says the visitor used HTTPS.
    behind_proxy = app_with(PROXY_HOPS=1)
    for proto, secure in (("https", True), ("http", False)):
        response = behind_proxy.test_client().post(
            "/login",
            data={"login": "https_user", "password": DEFAULT_PASSWORD},
            headers={"X-Forwarded-Proto": proto},
        )
        assert response.status_code == 302
        assert ("; Secure" in response.headers["Set-Cookie"]) is secure, proto
    direct = app_with().test_client()
    response = direct.post(
        "/login", data={"login": "https_user", "password": DEFAULT_PASSWORD}, base_url="https://localhost"
    )
    assert "; Secure" in response.headers["Set-Cookie"]
