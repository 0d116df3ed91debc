"""Issue 20, finding 2: the files a page loads write no log line (a report page's assets would time the
report), and every asset URL carries a hash of the file's bytes, cached for a year."""

import json
import logging
import re
from pathlib import Path

import pytest
from flask import url_for

from webapp.frontend.assets import IMMUTABLE
from webapp.frontend.folium_page import self_hosted_map

ASSET_URL = re.compile(r"""(?:src|href)=["'](/(?:static|npm)/[^"']+)["']""")
HASHED = re.compile(r"[?&]v=[0-9a-f]{16}$")


def asset_urls(html: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in ASSET_URL.findall(html)]


def test_a_report_page_and_its_assets_write_no_asset_line(client, app_context, caplog):
    with caplog.at_level(logging.INFO, logger="sightline.access"):
        page = client.get("/submit")
        assert page.status_code == 200
        urls = asset_urls(page.get_data(as_text=True))
        assert any(url.startswith("/static/") for url in urls) and any(
            url.startswith("/npm/") for url in urls
        )
        for url in urls:
            assert client.get(url).status_code == 200, url
        assert client.get("/favicon.ico").status_code == 200
        assert client.get("/tiles/0/0/0.pbf").status_code == 200
        assert client.get("/privacy").status_code == 200  # an ordinary page still writes its line
    lines = [record.getMessage() for record in caplog.records if record.name == "sightline.access"]
    assert [line for line in lines if not line.startswith("summary")] == [
        line for line in lines if line.startswith("GET /privacy 200")
    ], lines
    assert len(lines) == 1, lines


@pytest.mark.parametrize("path", ["/", "/submit", "/coverage", "/agencies", "/embed", "/login"])
def test_every_asset_url_of_a_page_carries_its_content_hash(client, app_context, path):
    page = client.get(path)
    assert page.status_code == 200
    urls = asset_urls(page.get_data(as_text=True))
    assert urls, path
    for url in urls:
        assert HASHED.search(url), url


def test_a_hashed_url_is_immutable_and_another_hash_is_not(client, app_context):
    with client.application.test_request_context():
        url = url_for("static", filename="css/site.css")
        package = url_for("frontend.package_file", package="leaflet", path="dist/leaflet.js")
    for hashed in (url, package):
        answer = client.get(hashed)
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == IMMUTABLE
        stale = client.get(re.sub(r"v=[0-9a-f]+", "v=0123456789abcdef", hashed))
        assert stale.status_code == 200 and stale.data == answer.data  # an old page still gets the file
        assert (
            "immutable" not in stale.headers["Cache-Control"] and "no-cache" in stale.headers["Cache-Control"]
        )
    # A file named by a stylesheet's relative URL (no hash) keeps the route's own caching.
    plain = client.get("/npm/leaflet/dist/images/layers.png")
    assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]


def test_changing_a_files_bytes_changes_its_url(app_with, tmp_path):
    modules = tmp_path / "node_modules"
    script = modules / "leaflet" / "dist" / "leaflet.js"
    script.parent.mkdir(parents=True)
    script.write_text("var version = 1;\n")
    app = app_with(NODE_MODULES=modules)
    client = app.test_client()

    def current_url():
        with app.test_request_context():
            return url_for("frontend.package_file", package="leaflet", path="dist/leaflet.js")

    first = current_url()
    assert current_url() == first  # the same bytes, the same URL
    script.write_text("var version = 22;\n")
    second = current_url()
    assert second != first and HASHED.search(second)
    assert client.get(second).headers["Cache-Control"] == IMMUTABLE
    assert "no-cache" in client.get(first).headers["Cache-Control"]
    assert client.get(first).data == b"var version = 22;\n"
    # Folium's pages take their script URLs from the same function.
    with app.test_request_context():
        scripts = dict(self_hosted_map().default_js)
    assert scripts["leaflet"] == second


IMPORT_MAP = re.compile(r'<script type="importmap" nonce="[^"]+">(.*?)</script>', re.DOTALL)
RELATIVE_IMPORT = re.compile(r"""^import\s[^;]*?\sfrom\s+["']\./([^"']+)["'];""", re.MULTILINE)


@pytest.mark.parametrize("path", ["/", "/submit", "/coverage"])
def test_the_import_map_gives_every_module_its_hashed_url(client, app_context, path):
    """A module's relative imports carry no hash: the page's import map maps each module's plain URL to the
    hashed one, which is immutable, and every relative import of our modules names a module the map holds."""
    page = client.get(path).get_data(as_text=True)
    imports = json.loads(IMPORT_MAP.search(page).group(1))["imports"]
    folder = Path(client.application.static_folder) / "js"
    modules = sorted(folder.glob("*.js"))
    assert sorted(imports) == [f"/static/js/{module.name}" for module in modules]
    for plain, hashed in imports.items():
        assert hashed.startswith(plain + "?") and HASHED.search(hashed), hashed
        assert client.get(hashed).headers["Cache-Control"] == IMMUTABLE
    for module in modules:
        for imported in RELATIVE_IMPORT.findall(module.read_text()):
            assert f"/static/js/{imported}" in imports, (module.name, imported)
