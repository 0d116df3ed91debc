"""The public side of agencies: pages under /agencies and the JSON, CSV and GeoJSON API under
/api/v1/agencies (docs/api.md). Everything here reads; only moderators change agencies and relations
(webapp/agencies' moderation routes). Routes parse, call one domain function and render."""

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from webapp.agencies import open_data
from webapp.agencies.answers import (
    cameras_csv,
    cameras_geojson,
    policy_csv,
    policy_geojson,
    receivers_csv,
    receivers_geojson,
)
from webapp.agencies.camera_sets import CAMERA_PAGE_ROWS, camera_counts_by_agency, camera_map, camera_page
from webapp.agencies.filters import (
    NAME_BY_USPS,
    Direction,
    parse_direction,
    parse_filters,
    parse_page,
    parse_state_code,
    parse_whole_number,
)
from webapp.agencies.network import neighbourhood, parse_network_filters
from webapp.agencies.pages import (
    agency_exists,
    agency_names,
    agency_profile,
    relations_listing,
    search_agencies,
)
from webapp.agencies.questions import (
    Place,
    agency_points,
    county_place,
    drawn_place,
    feeding_sources,
    policy_vs_federal,
    receivers,
    state_place,
)
from webapp.agencies.sources import sources_statement
from webapp.coverage.shapes import read_area
from webapp.coverage.upload import uploaded_document
from webapp.frontend.routes import package_url
from webapp.kernel.errors import InvalidInput
from webapp.kernel.extensions import csrf
from webapp.kernel.text_input import reads_own_body
from webapp.kernel.vocabulary import AGENCY_KIND_LABELS, AgencyKind
from webapp.opendata.licence import licence_headers
from webapp.opendata.routes import send_export

bp = Blueprint("agencies", __name__)
API_MAX_AGE = 60
# An id above every camera's: `after` is where a page of cameras starts.
AFTER_MAX = 2**62


def _public(response: Response) -> Response:
    """The same answer for everyone (no session, no cookie): browsers and caches may keep it a minute."""
    response.headers.update(licence_headers())
    response.cache_control.public = True
    response.cache_control.max_age = API_MAX_AGE
    return response


def _json(payload: dict) -> Response:
    return _public(jsonify(payload))


def _geojson(payload: dict) -> Response:
    response = jsonify(payload)
    response.mimetype = "application/geo+json"
    return _public(response)


def _csv(body: str, filename: str) -> Response:
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _public(response)


def _page_settings(**extra) -> dict:
    """What the agency scripts read from the page (the JSON blob): addresses, the basemap, every string."""
    return {
        "basemapUrl": current_app.config["TILE_URL"],
        "basemapAttribution": current_app.config["TILE_ATTRIBUTION"],
        "agencyUrl": url_for("agencies.agency_page", agency_id=0).replace("/0", "/ID"),
        "strings": {
            "cameras": _("cameras"),
            "camera": _("camera"),
            "cellCameras": _("%(n)s cameras in this area", n="N"),
            "federal": _("federal"),
            "sharesWith": _("shares its data with"),
            "receivesFrom": _("receives data from"),
            "expand": _("Click a node to show its neighbours; double-click to open its page."),
            "shown": _("agencies shown"),
            "notShown": _("more not shown (raise the limit or filter)"),
            "loading": _("Loading…"),
            "failed": _("The network could not be loaded."),
            "open": _("Open its page"),
        },
        **extra,
    }


def _kind_options() -> list:
    return [(kind.value, AGENCY_KIND_LABELS[kind]) for kind in AgencyKind]


# Pages -------------------------------------------------------------------------------------------------


@bp.get("/agencies")
def index():
    filters = parse_filters(request.args)
    page = parse_page(request.args.get("page"))
    found = search_agencies(filters, page)
    return render_template(
        "agencies/index.html", filters=filters, found=found, kinds=_kind_options(), states=_state_options()
    )


def _state_options() -> list:
    return sorted(NAME_BY_USPS.items(), key=lambda item: item[1])


def _map_page(template: str, map_endpoint: str, agency_id: int, **context) -> str:
    """A page with the small camera map (agency-map.js draws what `map_endpoint` answers)."""
    settings = _page_settings(mapUrl=url_for(map_endpoint, agency_id=agency_id))
    return render_template(
        template, settings=settings, sources=sources_statement(), uses_leaflet=True, **context
    )


@bp.get("/agencies/<int:agency_id>")
def agency_page(agency_id: int):
    profile = agency_profile(agency_id)
    return _map_page("agencies/agency.html", "agencies.api_agency_camera_map", agency_id, agency=profile)


def _relations_listing(agency_id: int) -> dict:
    direction = parse_direction(request.args.get("direction"), Direction.SHARES_WITH, allow_both=False)
    return relations_listing(agency_id, direction, parse_page(request.args.get("page")))


@bp.get("/agencies/<int:agency_id>/relations")
def relations_page(agency_id: int):
    listing = _relations_listing(agency_id)
    return render_template(
        "agencies/relations.html",
        listing=listing,
        agency=listing["agency"],
        direction=listing["direction"],
        page=listing["page"],
        sources=sources_statement(with_cameras=False),
    )


@bp.get("/agencies/<int:agency_id>/feeding-cameras")
def feeding_page(agency_id: int):
    answer = feeding_sources(agency_id)
    return _map_page("agencies/feeding.html", "agencies.api_feeding_map", agency_id, answer=answer)


def _place_from_args() -> Place | None:
    if request.args.get("county"):
        return county_place(request.args["county"])
    code = parse_state_code(request.args.get("state"))
    return state_place(code) if code else None


@bp.route("/agencies/receivers", methods=["GET", "POST"])
@reads_own_body
def receivers_page():
    place, area_km2 = _place_from_args(), None
    if request.method == "POST":
        place, area_km2 = drawn_place(read_area(uploaded_document()))
    page = parse_page(request.args.get("page"))
    answer = receivers(place, page) if place else None
    return render_template(
        "agencies/receivers.html",
        uses_leaflet=True,  # the map to draw an area on
        answer=answer,
        area_km2=area_km2,
        states=_state_options(),
        sources=sources_statement(),
        args=request.args,
    )


@bp.get("/agencies/policy-vs-federal")
def policy_page():
    return render_template(
        "agencies/policy.html", answer=policy_vs_federal(), sources=sources_statement(with_cameras=False)
    )


@bp.get("/agencies/network")
def network_page():
    raw = request.args.get("agency")
    centre = agency_exists(parse_whole_number(raw, "agency", 0, 1, AFTER_MAX)) if raw else None
    settings = _page_settings(
        networkUrl=url_for("agencies.api_network"), centre=centre["id"] if centre else None
    )
    return render_template(
        "agencies/network.html",
        centre=centre,
        settings=settings,
        kinds=_kind_options(),
        states=_state_options(),
        cytoscape_js=package_url("cytoscape", "dist/cytoscape.min.js"),
        sources=sources_statement(with_cameras=False),
    )


# API ---------------------------------------------------------------------------------------------------


@bp.get("/api/v1/agencies")
def api_search():
    filters = parse_filters(request.args)
    found = search_agencies(filters, parse_page(request.args.get("page")))
    return _json({**found, "filters": filters.as_args(), "sources": sources_statement()})


@bp.get("/api/v1/agencies/<int:agency_id>")
def api_agency(agency_id: int):
    return _json({"agency": agency_profile(agency_id), "sources": sources_statement()})


@bp.get("/api/v1/agencies/<int:agency_id>/relations")
def api_relations(agency_id: int):
    return _json({**_relations_listing(agency_id), "sources": sources_statement(with_cameras=False)})


def _after() -> int:
    return parse_whole_number(request.args.get("after"), "after", 0, 0, AFTER_MAX)


def _camera_answer(agency_ids: list[int], fmt: str, endpoint: str, agency_id: int, **members) -> Response:
    """One page of the cameras of these agencies as GeoJSON or CSV; `next` (and a Link header) gives the
    address of the following page while there is one."""
    rows = camera_page(agency_ids, _after())
    names = agency_names(agency_ids)
    statement = sources_statement()
    following = None
    if len(rows) == CAMERA_PAGE_ROWS:
        following = url_for(endpoint, agency_id=agency_id, fmt=fmt, after=rows[-1]["id"])
    if fmt == "csv":
        response = _csv(
            cameras_csv(rows, names, statement), f"sightline-agency-{agency_id}-{endpoint[-7:]}.csv"
        )
    else:
        response = _geojson(cameras_geojson(rows, names, statement, next=following, **members))
    if following:
        response.headers["Link"] = response.headers["Link"] + f', <{following}>; rel="next"'
    return response


@bp.get("/api/v1/agencies/<int:agency_id>/cameras.<any(geojson, csv):fmt>")
def api_agency_cameras(agency_id: int, fmt: str):
    agency_exists(agency_id)
    return _camera_answer([agency_id], fmt, "agencies.api_agency_cameras", agency_id, agency=agency_id)


@bp.get("/api/v1/agencies/<int:agency_id>/cameras/map")
def api_agency_camera_map(agency_id: int):
    agency_exists(agency_id)
    total = camera_counts_by_agency([agency_id]).get(agency_id, 0)
    return _json({"agency": agency_id, **camera_map([agency_id], total)})


@bp.get("/api/v1/agencies/<int:agency_id>/feeding-cameras")
def api_feeding(agency_id: int):
    answer = feeding_sources(agency_id)
    answer.pop("source_ids")
    return _json({**answer, "sources_statement": sources_statement()})


@bp.get("/api/v1/agencies/<int:agency_id>/feeding-cameras.<any(geojson, csv):fmt>")
def api_feeding_cameras(agency_id: int, fmt: str):
    answer = feeding_sources(agency_id)
    return _camera_answer(
        answer["source_ids"],
        fmt,
        "agencies.api_feeding_cameras",
        agency_id,
        receiver=answer["receiver"],
        cameras_total=answer["cameras"],
    )


@bp.get("/api/v1/agencies/<int:agency_id>/feeding-cameras/map")
def api_feeding_map(agency_id: int):
    answer = feeding_sources(agency_id)
    return _json({"receiver": answer["receiver"], **camera_map(answer["source_ids"], answer["cameras"])})


def _receivers_answer(place: Place, fmt: str, area_km2: float | None = None) -> Response:
    answer = receivers(place, parse_page(request.args.get("page")))
    if area_km2 is not None:
        answer["place"]["area_km2"] = round(area_km2, 3)
    statement = sources_statement()
    if fmt == "csv":
        return _csv(receivers_csv(answer, statement), "sightline-receivers.csv")
    if fmt == "geojson":
        points = agency_points([entry["id"] for entry in answer["receivers"]])
        return _geojson(receivers_geojson(answer, points, statement))
    return _json({**answer, "sources_statement": statement})


@bp.get("/api/v1/agencies/receivers", defaults={"fmt": "json"})
@bp.get("/api/v1/agencies/receivers.<any(csv, geojson):fmt>")
def api_receivers(fmt: str):
    place = _place_from_args()
    if place is None:
        raise InvalidInput(
            _("Say where: state=NC (a USPS code) or county=37183 (a GEOID)."), code="missing_field"
        )
    return _receivers_answer(place, fmt)


@bp.post("/api/v1/agencies/receivers/area", defaults={"fmt": "json"})
@bp.post("/api/v1/agencies/receivers/area.<any(csv, geojson):fmt>")
@reads_own_body
def api_receivers_area(fmt: str):
    place, km2 = drawn_place(read_area(uploaded_document()))
    response = _receivers_answer(place, fmt, km2)
    response.headers["Cache-Control"] = "no-store"
    return response


csrf.exempt(api_receivers_area)


@bp.get("/api/v1/agencies/policy-vs-federal", defaults={"fmt": "json"})
@bp.get("/api/v1/agencies/policy-vs-federal.<any(csv, geojson):fmt>")
def api_policy(fmt: str):
    answer = policy_vs_federal()
    statement = sources_statement(with_cameras=False)
    if fmt == "csv":
        return _csv(policy_csv(answer, statement), "sightline-policy-vs-federal.csv")
    if fmt == "geojson":
        points = agency_points([entry["id"] for entry in answer["agencies"]])
        return _geojson(policy_geojson(answer, points, statement))
    return _json({**answer, "sources_statement": statement})


@bp.get("/api/v1/agencies/network")
def api_network():
    agency_id = parse_whole_number(request.args.get("agency"), "agency", 0, 1, AFTER_MAX)
    if not agency_id:
        raise InvalidInput(_("Say around which agency: agency=<id>."), code="missing_field")
    return _json({**neighbourhood(agency_id, parse_network_filters(request.args))})


EXPORT_NAMES = {
    ("agencies", "csv"): "agencies-csv",
    ("agencies", "json"): "agencies-json",
    ("relations", "csv"): "relations-csv",
    ("relations", "json"): "relations-json",
}


@bp.get("/api/v1/agencies.<any(csv, json):fmt>")
def export_agencies(fmt: str):
    return send_export(EXPORT_NAMES[("agencies", fmt)], open_data.AGENCY_EXPORTS)


@bp.get("/api/v1/agencies/relations.<any(csv, json):fmt>")
def export_relations(fmt: str):
    return send_export(EXPORT_NAMES[("relations", fmt)], open_data.AGENCY_EXPORTS)
