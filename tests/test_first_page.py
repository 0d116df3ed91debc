"""The public map page references no host but the app itself and the configured basemap."""

import re

from tests.factories import make_camera

URL_PATTERN = re.compile(r"""(?:https?:)?//[^\s"'<>)\\]+""")


def external_hosts(html: str) -> set[str]:
    hosts = set()
    for url in URL_PATTERN.findall(html):
        host = re.sub(r"^(?:https?:)?//", "", url).split("/")[0]
        hosts.add(host)
    return hosts


def test_map_page_has_no_third_party_hosts(app, client, app_context):
    make_camera(-87.63, 41.88)
    app.config["TILE_URL"] = "https://tiles.example.org/{z}/{x}/{y}.png"
    try:
        response = client.get("/")
    finally:
        app.config["TILE_URL"] = ""
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "tiles.example.org" in html
    assert "OpenStreetMap" in html
    # The attribution links to openstreetmap.org's copyright page; that is a link, not a loaded resource.
    assert external_hosts(html) <= {"tiles.example.org", "www.openstreetmap.org"}
    assert "/vendor/leaflet/dist/leaflet.js" in html


def test_vendor_assets_are_served_and_nothing_else(client):
    assert client.get("/vendor/leaflet/dist/leaflet.js").status_code == 200
    assert client.get("/vendor/leaflet/package.json").status_code == 200
    assert client.get("/vendor/commander/package.json").status_code == 404
    assert client.get("/vendor/leaflet/../commander/package.json").status_code == 404
