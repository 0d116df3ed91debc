"""Content-hashed asset URLs: every URL of a static file or a served npm file carries a hash of the file's
bytes (`/static/css/site.css?v=3f2a..`), so a browser keeps it for a year (`Cache-Control: public,
max-age=31536000, immutable`) and a returning visitor fetches nothing; a changed file gets a new URL.

`url_for("static", ...)` and `url_for("frontend.package_file", ...)` add the hash themselves (a URL default
of the app), so templates, Folium's script lists (webapp.frontend.folium_page, webapp.map.density_map) and
package_url() all go through asset_version() here. A request whose hash is not the file's current one (an
old page, a guessed URL) still gets the current file, marked `no-cache`, never as immutable; one without a
hash (an image a stylesheet names by a relative URL) keeps the route's own caching. The hash is computed
once per file version and process: cached by path, size and modification time.

Our scripts are ES modules (static/js) that import each other by relative URLs (`import .. from
"./map-address.js"`), which carry no hash. Every page's import map (`module_import_map()`, in base.html) maps
each module's plain URL to its hashed one, so an import is cache-busted like a <script src>: a changed module
gets a new URL in every page, while the modules that import it keep theirs.
"""

import functools
import hashlib
import os
from pathlib import Path

from flask import Response, current_app, request, url_for
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
VERSION_ARG = "v"
# Our ES modules, under the static folder.
MODULES_FOLDER = "js"
# Only these npm packages are served; everything else under node_modules stays private.
SERVED_PACKAGES = ("leaflet", "leaflet.vectorgrid", "leaflet-draw", "chart.js", "cytoscape")


@functools.lru_cache(maxsize=2048)
def _hash_of(path: str, size: int, modified_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def content_hash(path: Path | str) -> str | None:
    """The first 16 hex digits of the SHA-256 of a file's bytes, or None when it is not a file."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not os.path.isfile(path):
        return None
    return _hash_of(str(path), stat.st_size, stat.st_mtime_ns)


def _static_file(values: dict) -> str | None:
    return safe_join(current_app.static_folder, values.get("filename", ""))


def _package_file(values: dict) -> str | None:
    package = values.get("package", "")
    if package not in SERVED_PACKAGES:
        return None
    return safe_join(str(current_app.config["NODE_MODULES"] / package), values.get("path", ""))


# The endpoints whose URLs name a file, and where the file is.
_FILE_OF_ENDPOINT = {"static": _static_file, "frontend.package_file": _package_file}


def asset_version(endpoint: str, values: dict) -> str | None:
    """The content hash of the file an asset URL names (None when the endpoint serves no file or the file
    does not exist)."""
    locate = _FILE_OF_ENDPOINT.get(endpoint)
    path = locate(values) if locate is not None else None
    return content_hash(path) if path is not None else None


def add_content_hash(endpoint: str, values: dict) -> None:
    """A URL default of the app: url_for() of an asset gets `v=<hash of its bytes>`."""
    if endpoint in _FILE_OF_ENDPOINT and VERSION_ARG not in values:
        version = asset_version(endpoint, values)
        if version is not None:
            values[VERSION_ARG] = version


def set_asset_cache_headers(response: Response) -> Response:
    """Immutable for a year when the URL's hash is the file's; `no-cache` (revalidate) for another hash."""
    asked = request.args.get(VERSION_ARG)
    if (
        asked is None
        or request.endpoint not in _FILE_OF_ENDPOINT
        or response.status_code not in (200, 206, 304)
    ):
        return response
    if asked == asset_version(request.endpoint, request.view_args or {}):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "public, no-cache"
    return response


def package_url(package: str, path: str) -> str:
    """The app-relative URL of one file of a served npm package (for templates and Folium's JS/CSS lists),
    with its content hash (webapp.frontend.assets)."""
    return url_for("frontend.package_file", package=package, path=path)


def module_import_map() -> dict:
    """The import map of our ES modules: each module's plain URL (what a relative import resolves to) to its
    content-hashed URL."""
    folder = Path(current_app.static_folder) / MODULES_FOLDER
    imports = {}
    for module in sorted(folder.glob("*.js")):
        filename = f"{MODULES_FOLDER}/{module.name}"
        imports[url_for("static", filename=filename, **{VERSION_ARG: None})] = url_for(
            "static", filename=filename
        )
    return {"imports": imports}
