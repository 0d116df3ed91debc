"""The agencies' answers for programs: JSON, CSV and GeoJSON under /api/v1/agencies, and the open-data
exports (the pages are in webapp.agencies.public.routes, on the same blueprint)."""

from flask import Response, request, url_for
from flask_babel import gettext as _

from webapp.agencies.public import open_data
from webapp.agencies.public.answers import (
    cameras_csv,
    cameras_geojson,
    policy_csv,
    policy_geojson,
    receivers_csv,
    receivers_geojson,
)
from webapp.agencies.public.blueprint import bp
from webapp.agencies.public.camera_sets import (
    CAMERA_PAGE_ROWS,
    camera_counts_by_agency,
    camera_map,
    camera_page,
)
from webapp.agencies.public.filters import (
    AFTER_MAX,
    parse_filters,
    parse_network_filters,
    parse_page,
    parse_place_args,
    parse_relations_args,
)
from webapp.agencies.public.network import neighbourhood
from webapp.agencies.public.profiles import (
    agency_exists,
    agency_names,
    agency_profile,
    relations_listing,
    search_agencies,
)
from webapp.agencies.public.questions import (
    RECEIVERS_FILE_ROWS,
    RECEIVERS_PAGE_ROWS,
    Place,
    agency_points,
    drawn_place,
    feeding_sources,
    parse_receivers_filter,
    place_of,
    policy_vs_federal,
    receivers,
)
from webapp.agencies.public.sources import sources_statement
from webapp.coverage.shapes import read_area
from webapp.coverage.upload import uploaded_document
from webapp.kernel.errors import InvalidInput
from webapp.kernel.extensions import csrf
from webapp.kernel.http.public_answers import csv_answer, geojson_answer, json_answer, not_stored
from webapp.kernel.http.query_args import whole_number
from webapp.kernel.http.ratelimit import analysis_limit
from webapp.kernel.http.text_input import reads_own_body
from webapp.opendata.export_files import send_export
from webapp.opendata.selection_files import selection_downloads


@bp.get("/api/v1/agencies")
def api_search():
    filters = parse_filters(request.args)
    found = search_agencies(filters, parse_page(request.args.get("page")))
    return json_answer({**found, "filters": filters.as_args(), "sources": sources_statement()})


@bp.get("/api/v1/agencies/<id:agency_id>")
def api_agency(agency_id: int):
    return json_answer({"agency": agency_profile(agency_id), "sources": sources_statement()})


@bp.get("/api/v1/agencies/<id:agency_id>/relations")
def api_relations(agency_id: int):
    listing = relations_listing(agency_id, *parse_relations_args(request.args))
    return json_answer({**listing, "sources": sources_statement(with_cameras=False)})


def _after() -> int:
    return whole_number(request.args.get("after"), "after", 0, 0, AFTER_MAX)


def _with_next(response: Response, following: str | None) -> Response:
    """A file that is one page of a longer answer links the next page in its headers too."""
    if following:
        response.headers["Link"] = response.headers["Link"] + f', <{following}>; rel="next"'
    return response


def _camera_answer(
    agency_ids: list[int], fmt: str, endpoint: str, agency_id: int, vendors=None, **members
) -> Response:
    """One page of the cameras of these agencies (of these vendors) as GeoJSON or CSV; while there is a
    following page, the file says where (`next`, or the CSV's last line) and so does a Link header."""
    rows = camera_page(agency_ids, _after(), vendors=vendors)
    names = agency_names(agency_ids)
    statement = sources_statement()
    following = None
    if len(rows) == CAMERA_PAGE_ROWS:
        following = url_for(endpoint, agency_id=agency_id, fmt=fmt, after=rows[-1]["id"], _external=True)
    if fmt == "csv":
        response = csv_answer(
            cameras_csv(rows, names, statement, following),
            f"sightline-agency-{agency_id}-cameras.csv",
        )
    else:
        response = geojson_answer(cameras_geojson(rows, names, statement, next=following, **members))
    return _with_next(response, following)


@bp.get("/api/v1/agencies/<id:agency_id>/cameras.<any(geojson, csv):fmt>")
def api_agency_cameras(agency_id: int, fmt: str):
    agency_exists(agency_id)
    return _camera_answer([agency_id], fmt, "agencies.api_agency_cameras", agency_id, agency=agency_id)


@bp.get("/api/v1/agencies/<id:agency_id>/cameras/map")
def api_agency_camera_map(agency_id: int):
    agency_exists(agency_id)
    total = camera_counts_by_agency([agency_id]).get(agency_id, 0)
    return json_answer({"agency": agency_id, **camera_map([agency_id], total)})


@bp.get("/api/v1/agencies/<id:agency_id>/feeding-cameras")
def api_feeding(agency_id: int):
    answer = feeding_sources(agency_id)
    answer.pop("source_ids")
    answer.pop("source_vendors")
    downloads = selection_downloads(receiver=agency_id)
    return json_answer({**answer, "downloads": downloads, "sources_statement": sources_statement()})


@bp.get("/api/v1/agencies/<id:agency_id>/feeding-cameras.<any(geojson, csv):fmt>")
def api_feeding_cameras(agency_id: int, fmt: str):
    answer = feeding_sources(agency_id)
    return _camera_answer(
        answer["source_ids"],
        fmt,
        "agencies.api_feeding_cameras",
        agency_id,
        answer["source_vendors"],
        receiver=answer["receiver"],
        cameras_total=answer["cameras"],
    )


@bp.get("/api/v1/agencies/<id:agency_id>/feeding-cameras/map")
def api_feeding_map(agency_id: int):
    answer = feeding_sources(agency_id)
    return json_answer(
        {
            "receiver": answer["receiver"],
            **camera_map(answer["source_ids"], answer["cameras"], answer["source_vendors"]),
        }
    )


def _receivers_answer(place: Place, fmt: str, area_km2: float | None = None) -> Response:
    """The receivers as JSON (RECEIVERS_PAGE_ROWS a page), or as a file: every receiver up to
    RECEIVERS_FILE_ROWS, past which the file is a page and links the next (a drawn area's pages are the
    same POST with `page`)."""
    only = parse_receivers_filter(request.args.get("only"))
    page = parse_page(request.args.get("page"))
    rows = RECEIVERS_PAGE_ROWS if fmt == "json" else RECEIVERS_FILE_ROWS
    answer = receivers(place, page, rows, only)
    if area_km2 is not None:
        answer["place"]["area_km2"] = round(area_km2, 3)
    statement = sources_statement()
    following = None
    if answer["more"] and fmt != "json":
        args = {**request.args.to_dict(), "page": page + 1}
        following = url_for(request.endpoint, fmt=fmt, **args, _external=True)
    if fmt == "csv":
        response = csv_answer(receivers_csv(answer, statement, following), "sightline-receivers.csv")
    elif fmt == "geojson":
        points = agency_points([entry["id"] for entry in answer["receivers"]])
        response = geojson_answer(receivers_geojson(answer, points, statement, following))
    else:
        response = json_answer({**answer, "sources_statement": statement})
    return _with_next(response, following)


@bp.get("/api/v1/agencies/receivers", defaults={"fmt": "json"})
@bp.get("/api/v1/agencies/receivers.<any(csv, geojson):fmt>")
def api_receivers(fmt: str):
    place = place_of(*parse_place_args(request.args))
    if place is None:
        raise InvalidInput(
            _("Say where: state=NC (a USPS code) or county=37183 (a GEOID)."), code="missing_field"
        )
    return _receivers_answer(place, fmt)


@bp.post("/api/v1/agencies/receivers/area", defaults={"fmt": "json"})
@bp.post("/api/v1/agencies/receivers/area.<any(csv, geojson):fmt>")
@reads_own_body
@analysis_limit
def api_receivers_area(fmt: str):
    place, km2 = drawn_place(read_area(uploaded_document()))
    return not_stored(_receivers_answer(place, fmt, km2))


csrf.exempt(api_receivers_area)


@bp.get("/api/v1/agencies/policy-vs-federal", defaults={"fmt": "json"})
@bp.get("/api/v1/agencies/policy-vs-federal.<any(csv, geojson):fmt>")
def api_policy(fmt: str):
    answer = policy_vs_federal()
    statement = sources_statement(with_cameras=False)
    if fmt == "csv":
        return csv_answer(policy_csv(answer, statement), "sightline-policy-vs-federal.csv")
    if fmt == "geojson":
        points = agency_points([entry["id"] for entry in answer["agencies"]])
        return geojson_answer(policy_geojson(answer, points, statement))
    return json_answer({**answer, "sources_statement": statement})


@bp.get("/api/v1/agencies/network")
def api_network():
    agency_id = whole_number(request.args.get("agency"), "agency", 0, 1, AFTER_MAX)
    if not agency_id:
        raise InvalidInput(_("Say around which agency: agency=<id>."), code="missing_field")
    return json_answer({**neighbourhood(agency_id, parse_network_filters(request.args))})


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
