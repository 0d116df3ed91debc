"""Front-end packages installed from npm (package.json + lock), served by the app itself under /npm/: no
CDN, so a visitor's browser talks to nobody but us and the configured basemap. Also the favicon."""

from flask import Blueprint, abort, current_app, send_from_directory, url_for

bp = Blueprint("frontend", __name__)

# Only these npm packages are served; everything else under node_modules stays private.
SERVED_PACKAGES = ("leaflet", "leaflet.vectorgrid", "leaflet-draw", "chart.js", "cytoscape")


@bp.get("/npm/<package>/<path:path>")
def package_file(package: str, path: str):
    if package not in SERVED_PACKAGES:
        abort(404)
    return send_from_directory(current_app.config["NODE_MODULES"] / package, path, max_age=86400)


def package_url(package: str, path: str) -> str:
    """The app-relative URL of one file of a served npm package (for templates and Folium's JS/CSS lists)."""
    return url_for("frontend.package_file", package=package, path=path)


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for it on every page that names no icon (Folium's map page among them).
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
