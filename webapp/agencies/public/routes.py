"""The public agency pages under /agencies (their JSON, CSV and GeoJSON API is webapp.agencies.public.api,
docs/api.md). Everything here reads; only moderators change agencies and relations
(webapp/agencies' moderation routes). Routes parse, call one domain function and render."""

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _

from webapp.agencies.public.blueprint import bp
from webapp.agencies.public.filters import (
    AFTER_MAX,
    parse_filters,
    parse_page,
    parse_place_args,
    parse_relations_args,
    parse_state_code,
)
from webapp.agencies.public.profiles import (
    agency_exists,
    agency_profile,
    relations_listing,
    search_agencies,
)
from webapp.agencies.public.questions import (
    Receivers,
    county_names,
    drawn_place,
    feeding_sources,
    parse_receivers_filter,
    place_of,
    policy_vs_federal,
    receivers,
)
from webapp.agencies.public.sources import sources_statement
from webapp.agencies.us_states import NAME_BY_USPS
from webapp.coverage.shapes import read_area
from webapp.coverage.upload import uploaded_document
from webapp.frontend.assets import package_url
from webapp.kernel.http.query_args import whole_number
from webapp.kernel.http.ratelimit import analysis_limit
from webapp.kernel.http.text_input import reads_own_body
from webapp.kernel.vocabulary import AGENCY_KIND_LABELS, AgencyKind
from webapp.opendata.selection_files import selection_downloads


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


def receivers_filter_options() -> list:
    return [
        (Receivers.ALL, _("All receivers")),
        (Receivers.FEDERAL_OR_OUT_OF_STATE, _("Federal or out of state")),
        (Receivers.FEDERAL, _("Federal only")),
        (Receivers.OUT_OF_STATE, _("Out of state only")),
    ]


def kind_options() -> list:
    return [(kind.value, AGENCY_KIND_LABELS[kind]) for kind in AgencyKind]


# Pages -------------------------------------------------------------------------------------------------


@bp.get("/agencies")
def index():
    filters = parse_filters(request.args)
    page = parse_page(request.args.get("page"))
    found = search_agencies(filters, page)
    return render_template(
        "agencies/index.html", filters=filters, found=found, kinds=kind_options(), states=state_options()
    )


def state_options() -> list:
    return sorted(NAME_BY_USPS.items(), key=lambda item: item[1])


def _map_page(template: str, map_endpoint: str, agency_id: int, **context) -> str:
    """A page with the small camera map (agency-map.js draws what `map_endpoint` answers)."""
    settings = _page_settings(mapUrl=url_for(map_endpoint, agency_id=agency_id))
    return render_template(
        template, settings=settings, sources=sources_statement(), uses_leaflet=True, **context
    )


@bp.get("/agencies/<id:agency_id>")
def agency_page(agency_id: int):
    profile = agency_profile(agency_id)
    return _map_page("agencies/agency.html", "agencies.api_agency_camera_map", agency_id, agency=profile)


@bp.get("/agencies/<id:agency_id>/relations")
def relations_page(agency_id: int):
    listing = relations_listing(agency_id, *parse_relations_args(request.args))
    return render_template(
        "agencies/relations.html",
        listing=listing,
        agency=listing["agency"],
        direction=listing["direction"],
        page=listing["page"],
        sources=sources_statement(with_cameras=False),
    )


@bp.get("/agencies/<id:agency_id>/feeding-cameras")
def feeding_page(agency_id: int):
    answer = feeding_sources(agency_id)
    downloads = selection_downloads(receiver=agency_id)
    return _map_page(
        "agencies/feeding.html", "agencies.api_feeding_map", agency_id, answer=answer, downloads=downloads
    )


@bp.route("/agencies/receivers", methods=["GET", "POST"])
@reads_own_body
@analysis_limit
def receivers_page():
    place, area_km2 = place_of(*parse_place_args(request.args)), None
    if request.method == "POST":
        place, area_km2 = drawn_place(read_area(uploaded_document()))
    page = parse_page(request.args.get("page"))
    only = parse_receivers_filter(request.args.get("only"))
    answer = receivers(place, page, only=only) if place else None
    state = parse_state_code(request.args.get("state"))
    return render_template(
        "agencies/receivers.html",
        uses_leaflet=True,  # the map to draw an area on
        answer=answer,
        area_km2=area_km2,
        area_shape=place.shape if place else None,  # a drawn area's polygon, to keep and follow
        states=state_options(),
        counties=county_names(state) if state else [],
        only_options=receivers_filter_options(),
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
    centre = agency_exists(whole_number(raw, "agency", 0, 1, AFTER_MAX)) if raw else None
    settings = _page_settings(
        networkUrl=url_for("agencies.api_network"), centre=centre["id"] if centre else None
    )
    return render_template(
        "agencies/network.html",
        centre=centre,
        settings=settings,
        kinds=kind_options(),
        states=state_options(),
        cytoscape_js=package_url("cytoscape", "dist/cytoscape.min.js"),
        sources=sources_statement(with_cameras=False),
    )
