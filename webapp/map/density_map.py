"""The public density map: a small Folium page whose data all comes from vector tiles.

The page never embeds cameras, so its size is the same at a hundred cameras or a million. Leaflet,
Leaflet.VectorGrid and our map.js are served by the app; the page's one inline script (a module) makes the
Leaflet map, imports map.js and hands it the map and these settings: map.js adds the tile layer, legend, count
in view, clicks and search, and imports the modules it needs itself.
"""

import folium
from flask import url_for
from flask_babel import gettext as _
from folium.elements import JSCSSMixin
from folium.template import Template

from webapp.cameras.import_runs import osm_data_as_of
from webapp.frontend.assets import package_url
from webapp.frontend.camera_style import camera_data_attribution, camera_layer_settings, url_template
from webapp.frontend.folium_page import self_hosted_map
from webapp.opendata.selections import MAX_SELECTION

NATIONAL_VIEW = {"location": [39.5, -98.35], "zoom_start": 4}


class DensityLayers(JSCSSMixin):
    """Loads VectorGrid and Leaflet.draw, then hands the map to map.js once it exists: Folium's script is the
    page's module script (map/index.html), so it imports map.js, whose URL the page's import map hashes."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            import { startDensityMap } from {{ this.module_url|tojson }};
            startDensityMap({{ this._parent.get_name() }}, {{ this.settings|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, settings: dict):
        super().__init__()
        self._name = "DensityLayers"
        self.settings = settings
        self.module_url = url_for("static", filename="js/map.js")
        # Instance lists: the class lists are shared by every map in the process.
        self.default_js = [
            ("vectorGrid", package_url("leaflet.vectorgrid", "dist/Leaflet.VectorGrid.bundled.min.js")),
            # Leaflet.draw (the library behind Folium's plugins.Draw) for drawing a route.
            ("leaflet_draw", package_url("leaflet-draw", "dist/leaflet.draw.js")),
        ]
        self.default_css = [
            ("leaflet_draw_css", package_url("leaflet-draw", "dist/leaflet.draw.css")),
            ("sightline_map_css", url_for("static", filename="css/map.css")),
        ]


def map_settings() -> dict:
    return {
        # The tiles, the palette and the vendors' colours and shapes (shared with the camera pages).
        **camera_layer_settings(),
        # Where back leads when a history step names no view (the page opened without one).
        "homeView": {
            "zoom": NATIONAL_VIEW["zoom_start"],
            "lat": NATIONAL_VIEW["location"][0],
            "lon": NATIONAL_VIEW["location"][1],
            "layer": "density",
        },
        "countUrl": url_for("opendata.cameras_count"),
        "camerasUrl": url_for("opendata.cameras_in_area"),
        # A placeholder id that url_for accepts (the route takes an int), swapped for {id}.
        "cameraUrl": url_for("cameras.camera_page", camera_id=987654321).replace("987654321", "{id}"),
        "gazetteerUrl": url_for("map.gazetteer"),
        # Coverage: the choropleth layer, the "in this view" panel and route exposure (webapp.coverage).
        "areaTileUrl": url_template("coverage_tiles.area_tiles", kind="{kind}", z="{z}", x="{x}", y="{y}"),
        "legendUrl": url_for("coverage_api.legend"),
        "viewUrl": url_for("coverage_api.in_view"),
        # The cameras in view as a file (webapp.opendata.selections), offered up to its size limit.
        "selectionUrl": url_for("opendata.selection_download", file_format="csv").rsplit(".", 1)[0],
        "selectionMax": MAX_SELECTION,
        "routeUrl": url_for("coverage_api.route"),
        "areaPageUrl": url_for("coverage.area_page", geoid="GEOID"),
        "coveragePlaceUrl": url_for("coverage.place"),
        "attribution": camera_data_attribution() + osm_data_date_text(),
        "text": {
            "inView": _("{count} verified cameras in view"),
            "aboutInView": _("About {count} verified cameras in view"),
            "densityTitle": _("Cameras per cell"),
            # Legends and panels fold away (on a phone they start folded); the vendors are those in view.
            "legend": _("Legend"),
            "expand": _("Show"),
            "collapse": _("Hide"),
            "vendorsInView": _("Vendors in view"),
            "noCameraInView": _("No camera in view."),
            "searchLabel": _("Find a state, county or city"),
            "searchPlaceholder": _("State, county or city"),
            "noMatch": _("No place of that name"),
            "coverageOf": _("Coverage figures of {place}"),
            "placesCredit": _("Places: US Census Bureau, GeoNames (CC BY 4.0)"),
            "zoomIn": _("Zoom in to see each camera; click a camera to open its page."),
            "layers": _("Layer"),
            "layerDensity": _("Density of cameras"),
            "layerStates": _("States: cameras per 10,000 residents"),
            "layerCounties": _("Counties: cameras per 10,000 residents"),
            "perResidents": _("Cameras per 10,000 residents"),
            "noFigure": _("no figure / under population floor"),
            "panelTitle": _("In this view"),
            "panelCameras": _("{count} verified cameras"),
            "panelAbout": _("about {count} verified cameras (by county)"),
            "panelVendors": _("Top vendors"),
            "panelOperators": _("Top operators"),
            "panelNote": _("Verified cameras only, never demo cameras."),
            "panelDownload": _("Download the cameras in view:"),
            "routeTitle": _("Route exposure"),
            "routeDraw": _("Draw a route"),
            "routeFinish": _("Finish the route"),
            "routeUpload": _("or upload a GPX, KML or GeoJSON file"),
            "routeBuffer": _("Within (metres)"),
            "routeResult": _(
                "{cameras} cameras within {buffer} m of this {km} km route; {facing} face the traffic, "
                "{unknown} have no recorded direction: {reads} reads per km."
            ),
            "routeClear": _("Clear the route"),
            "routeKeep": _("Keep this route's corridor: its feed and its cameras' downloads"),
            "routeFeed": _("Atom feed of changes"),
            "routeDownloads": _("Its cameras, live:"),
            "routeKeepFailed": _("The area could not be kept:"),
            "routeExplain": _(
                "A camera reads the plates of the cars driving towards it. Reads per km: the cameras "
                "along the route that face its traffic, per km driven. Rings: red faces the traffic, "
                "grey faces away or across, orange has no recorded direction."
            ),
            "share": _("Share / embed"),
        },
    }


def osm_data_date_text() -> str:
    """ ", OpenStreetMap data as of <date>" after the last import; nothing before any."""
    as_of = osm_data_as_of()
    return ", " + _("OpenStreetMap data as of %(date)s", date=as_of.isoformat()) if as_of else ""


def embed_settings(view) -> dict:
    """The map's settings for /embed: the cited view (a webapp.map.cited_view.CitedView) and layer, no
    controls but the legend and count, and the attribution in the page's footer instead of the map's."""
    settings = map_settings()
    settings["attribution"] = ""
    if view.bbox is not None:
        box = view.bbox
        start = {"bbox": [box.west, box.south, box.east, box.north]}
    elif view.zoom is not None:
        start = {"zoom": view.zoom, "lat": view.lat, "lon": view.lon}
    else:
        start = None
    settings["embed"] = {"view": start, "layer": view.layer, "mainMapUrl": url_for("map.index")}
    return settings


def density_map(settings: dict | None = None) -> folium.Map:
    fmap = self_hosted_map(**NATIONAL_VIEW, min_zoom=3)
    DensityLayers(settings or map_settings()).add_to(fmap)
    return fmap


def map_parts(fmap: folium.Map) -> dict[str, str]:
    """The Folium page cut into its header (links and styles), body (the map div) and script, so that it
    sits inside our own layout instead of an iframe."""
    root = fmap.get_root()
    root.render()
    return {
        "header": root.header.render(),
        "body": root.html.render(),
        "script": root.script.render(),
    }
