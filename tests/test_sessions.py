"""Public, cacheable answers neither vary on nor set the session cookie, so a CDN can share them; private
pages still do."""

from tests.factories import make_camera


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
