"""The public map page: small and constant in size, and referencing no host but the app itself and the
configured basemap."""

import re

from sqlalchemy import text

from tests.factories import make_camera
from webapp.kernel.extensions import db

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
    for asset in (
        "/npm/leaflet/dist/leaflet.js",
        "/npm/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js",
        "/static/js/map.js",
        "/static/css/map.css",
    ):
        assert asset in html
        assert client.get(asset).status_code == 200
    assert "/tiles/{z}/{x}/{y}.pbf" in html


def test_every_inline_script_carries_the_request_nonce(client):
    response = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.get_data(as_text=True))
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert not re.search(r"\son[a-z]+=", response.get_data(as_text=True))


def test_the_page_does_not_grow_with_the_number_of_cameras(client, app_context):
    def page_size() -> int:
        html = client.get("/").get_data(as_text=True)
        # Folium names the map after a random id and the nonce is per request: neither is data.
        html = re.sub(r"map_[0-9a-f]{32}", "map", html)
        return len(re.sub(r'nonce="[^"]+"', "", html))

    empty = page_size()
    db.session.execute(
        text(
            "INSERT INTO cameras (geom, source) "
            "SELECT ST_SetSRID(ST_MakePoint(-120 + n * 0.0005, 38), 4326), 'report' "
            "FROM generate_series(1, 20000) AS n"
        )
    )
    assert page_size() == empty
    assert empty < 20_000


def test_the_gazetteer_is_served_compressed_and_holds_states_counties_and_cities(client):
    response = client.get("/map/gazetteer.json", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    plain = client.get("/map/gazetteer.json", headers={"Accept-Encoding": "identity"})
    document = plain.json
    kinds = {}
    for name, kind, west, south, east, north in document["places"]:
        assert west < east and south < north
        kinds.setdefault(kind, set()).add(name)
    assert "Illinois" in kinds["state"]
    assert "Cook County, Illinois" in kinds["county"]
    assert "Chicago, IL" in kinds["city"]
    assert len(kinds["county"]) > 3000 and len(kinds["state"]) >= 50
    assert "GeoNames" in document["attribution"]


def test_vendor_assets_are_served_and_nothing_else(client):
    assert client.get("/npm/leaflet/dist/leaflet.js").status_code == 200
    assert client.get("/npm/leaflet/package.json").status_code == 200
    assert client.get("/npm/commander/package.json").status_code == 404
    assert client.get("/npm/leaflet/../commander/package.json").status_code == 404
