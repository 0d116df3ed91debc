"""The coverage pages for people: /coverage (a US choropleth, the states table, the national timeline) and
/coverage/areas/<geoid> (one state or county: its figures, vendors and operators, timeline and counties).
Every view's state is in its address (query string and #zoom/lat/lon), so a reporter can cite it. Also the
choropleth's vector tiles, /tiles/areas/{kind}/{z}/{x}/{y}.pbf (webapp.coverage.choropleth)."""

import hashlib
from datetime import UTC, datetime

from flask import current_app, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from webapp.coverage.area_figures import RATIOS, area_figures, area_list, area_named
from webapp.coverage.blueprint import bp, tiles_bp
from webapp.coverage.choropleth import area_kind, area_tile
from webapp.coverage.method import method_statement
from webapp.frontend.assets import package_url
from webapp.geo.public_cameras import all_citable_cameras
from webapp.kernel.data.models import Area
from webapp.kernel.errors import NotFound, error_response
from webapp.kernel.extensions import db
from webapp.kernel.http.public_answers import attachment
from webapp.kernel.vocabulary import AreaKind, Limits
from webapp.opendata.formats import csv_stream
from webapp.tiles.tiles import MVT_MEDIA_TYPE, TileAddress, TileOutOfRange

METRICS = ("per_10k_residents", "per_1k_road_miles", "per_100_km2", "cameras")


def metric_names() -> dict[str, str]:
    """Each metric's name in the page's language (the select, the figures and the legend)."""
    return {
        "per_10k_residents": _("Cameras per 10,000 residents"),
        "per_1k_road_miles": _("Cameras per 1,000 road miles"),
        "per_100_km2": _("Cameras per 100 km²"),
        "cameras": _("Cameras"),
    }


def _choice(name: str, allowed, default: str) -> str:
    value = request.args.get(name, default)
    return value if value in allowed else default


def page_settings(kind: str, metric: str, focus: dict | None = None) -> dict:
    tile_url = url_for("coverage_tiles.area_tiles", kind="__kind__", z=0, x=0, y=0)
    return {
        "tileUrl": tile_url.replace("__kind__", "{kind}").replace("/0/0/0.pbf", "/{z}/{x}/{y}.pbf"),
        "legendUrl": url_for("coverage_api.legend"),
        "timelineUrl": url_for("coverage_api.timeline"),
        "areaUrl": url_for("coverage.area_page", geoid="GEOID"),
        "basemapUrl": current_app.config["TILE_URL"],
        "basemapAttribution": current_app.config["TILE_ATTRIBUTION"],
        "kind": kind,
        "metric": metric,
        "metrics": metric_names(),
        "focus": focus,
        # What coverage.js and choropleth.js write themselves, in the page's language.
        "text": {
            "noFigure": _("no figure / under population floor"),
            "timelineNote": _(
                "{unknown} imported cameras have no start date in OpenStreetMap: counted apart, not in any "
                "month. On the map now: {now}."
            ),
            "onMap": _("On the map (dated)"),
            "verified": _("Verified"),
            "removed": _("Removed"),
        },
    }


def _page_assets() -> dict:
    return {
        "vectorgrid_js": package_url("leaflet.vectorgrid", "dist/Leaflet.VectorGrid.bundled.min.js"),
        "chart_js": package_url("chart.js", "dist/chart.umd.min.js"),
    }


@bp.get("/coverage")
def index():
    kind = _choice("kind", [kind.value for kind in AreaKind], AreaKind.STATE.value)
    metric = _choice("metric", METRICS, "per_10k_residents")
    return render_template(
        "coverage/index.html",
        states=area_list(AreaKind.STATE, top=1),
        method=method_statement(),
        ratios=RATIOS,
        metrics=metric_names(),
        kind=kind,
        metric=metric,
        settings=page_settings(kind, metric),
        floor=Limits.AREA_POPULATION_FLOOR,
        uses_leaflet=True,
        **_page_assets(),
    )


@bp.get("/coverage/place")
def place():
    """The coverage page of a state or county named as the map's search names it ("Alameda County,
    California"): the search offers it beside the zoom."""
    return redirect(url_for("coverage.area_page", geoid=area_named(request.args.get("name"))), 303)


@bp.get("/coverage/areas/<geoid>/cameras.csv")
def county_cameras_csv(geoid: str):
    """Every citable camera of one county, streamed in batches (a county holds at most tens of thousands;
    a state's are in the full export)."""
    county = db.session.get(Area, geoid)
    if county is None or county.kind != AreaKind.COUNTY:
        raise NotFound(
            _("No such county: the cameras of a state are in the full export (/api/v1/cameras.csv).")
        )
    rows = csv_stream(all_citable_cameras(county_geoid=geoid), datetime.now(UTC).date().isoformat())
    response = current_app.response_class(stream_with_context(rows), mimetype="text/csv")
    return attachment(response, f"sightline-cameras-{geoid}.csv")


@bp.get("/coverage/areas/<geoid>")
def area_page(geoid: str):
    area = area_figures(geoid, top=Limits.BREAKDOWN_TOP_MAX)
    counties = area_list(AreaKind.COUNTY, geoid, top=1) if area["kind"] == AreaKind.STATE else []
    metric = _choice("metric", METRICS, "per_10k_residents")
    return render_template(
        "coverage/area.html",
        area=area,
        counties=counties,
        method=method_statement(),
        ratios=RATIOS,
        metrics=metric_names(),
        metric=metric,
        settings=page_settings(
            AreaKind.COUNTY.value, metric, focus={"geoid": area["geoid"], "bbox": area["bbox"]}
        ),
        floor=Limits.AREA_POPULATION_FLOOR,
        uses_leaflet=True,
        **_page_assets(),
    )


# The choropleth's vector tiles, with ETag and Cache-Control like the density tiles (on the quiet blueprint).
@tiles_bp.get("/tiles/areas/<kind>/<z>/<x>/<y>.pbf")
def area_tiles(kind: str, z: str, x: str, y: str):
    kind_of_area = area_kind(kind)
    try:
        address = TileAddress.parse(z, x, y)
    except TileOutOfRange as error:
        return error_response(400, _("Invalid tile address: %(reason)s.", reason=str(error)))
    data = area_tile(kind_of_area, address.z, address.x, address.y)
    response = current_app.response_class(data, mimetype=MVT_MEDIA_TYPE)
    response.set_etag(hashlib.blake2b(data, digest_size=16).hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["TILE_MAX_AGE"]
    return response.make_conditional(request)
