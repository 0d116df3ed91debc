"""Folium maps whose every script and stylesheet is served by the app itself.

Folium's class-level lists point at CDNs; we replace them per instance (never with add_js_link, which edits
the shared class list and would change every map in the process).
"""

import folium
from flask import current_app

from webapp.frontend.assets import package_url


def self_hosted_map(**options) -> folium.Map:
    """A folium.Map with Leaflet from /vendor and the configured basemap (or none when TILE_URL is empty)."""
    tile_url = current_app.config["TILE_URL"]
    options.setdefault("max_zoom", 19)
    fmap = folium.Map(
        tiles=tile_url or None,
        attr=current_app.config["TILE_ATTRIBUTION"] if tile_url else None,
        prefer_canvas=True,
        **options,
    )
    fmap.default_js = [("leaflet", package_url("leaflet", "dist/leaflet.js"))]
    fmap.default_css = [("leaflet_css", package_url("leaflet", "dist/leaflet.css"))]
    return fmap
