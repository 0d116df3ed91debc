"""Front-end packages installed from npm (package.json + lock), served by the app itself under /npm/: no
CDN, so a visitor's browser talks to nobody but us and the configured basemap. Also the favicon.

Every asset URL carries a hash of the file's bytes and is cached for a year (webapp.frontend.assets). Asset
requests write no log line (they are quiet: webapp.kernel.http.quiet_routes): they follow every page's
request, the report form's and the receipt's included, so their lines would time each report."""

from flask import abort, current_app, send_from_directory

from webapp.frontend.assets import (
    SERVED_PACKAGES,
    add_content_hash,
    module_import_map,
    set_asset_cache_headers,
)
from webapp.frontend.blueprint import bp
from webapp.kernel.http.quiet_routes import quiet

bp.app_url_defaults(add_content_hash)
bp.after_app_request(set_asset_cache_headers)
bp.add_app_template_global(module_import_map)


@bp.record_once
def _quiet_static_files(state):
    quiet(state.app.view_functions["static"])


@bp.get("/npm/<package>/<path:path>")
@quiet
def package_file(package: str, path: str):
    if package not in SERVED_PACKAGES:
        abort(404)
    return send_from_directory(current_app.config["NODE_MODULES"] / package, path, max_age=86400)


@bp.get("/favicon.ico")
@quiet
def favicon():
    # Browsers ask for it on every page that names no icon (Folium's map page among them).
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
