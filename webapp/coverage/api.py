"""The coverage API under /api/v1/coverage: area figures (JSON and CSV), growth over time, drawn or uploaded
polygons and routes, the map's "in this view" panel and the choropleth legend. Exempt from CSRF: nothing
here reads a session or changes anything (the POSTs only carry a shape too large for a query string)."""

import json

from flask import Response, jsonify, request, url_for

from webapp.coverage.area_figures import area_figures, area_list, area_list_json, parse_state
from webapp.coverage.blueprint import api_bp as bp
from webapp.coverage.breakdown import parse_top
from webapp.coverage.choropleth import area_kind, legend_of
from webapp.coverage.csv_files import areas_csv, timeline_csv
from webapp.coverage.in_view import cameras_in_view
from webapp.coverage.method import method_statement
from webapp.coverage.polygon import polygon_coverage
from webapp.coverage.route import keep_corridor, parse_buffer, parse_two_way, route_exposure
from webapp.coverage.shapes import read_area, read_route
from webapp.coverage.timeline import area_timeline
from webapp.coverage.upload import uploaded_document
from webapp.geo.bbox import parse_bbox
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import csrf
from webapp.kernel.http.public_answers import csv_answer, json_answer, licensed, not_stored, public_answer
from webapp.kernel.http.ratelimit import analysis_limit
from webapp.kernel.http.text_input import reads_own_body
from webapp.kernel.vocabulary import AreaKind
from webapp.opendata.selection_files import selection_downloads

csrf.exempt(bp)

LIST_TOP_DEFAULT = 3


# Figures are live: caches must revalidate every time (the ETag makes that cheap), so a verification is in
# every answer as soon as it commits.
LIVE = 0


def _list_json(kind: AreaKind, state: str | None, top: int) -> Response:
    """{"kind", "state", "areas", "method"}, with the areas' JSON as kept by the live cache."""
    head = json.dumps({"kind": kind.value, "state": state})[:-1]
    method = json.dumps(method_statement())
    body = f'{head}, "areas": {area_list_json(kind, state, top)}, "method": {method}}}'
    return public_answer(Response(body, mimetype="application/json"), LIVE)


@bp.get("/states")
def states():
    return _list_json(AreaKind.STATE, None, parse_top(request.args.get("top"), LIST_TOP_DEFAULT))


@bp.get("/states.csv")
def states_csv():
    areas = area_list(AreaKind.STATE, top=parse_top(request.args.get("top"), LIST_TOP_DEFAULT))
    return csv_answer(areas_csv(areas, method_statement()), "sightline-coverage-states.csv", LIVE)


@bp.get("/counties")
def counties():
    state = parse_state(request.args.get("state"))
    return _list_json(AreaKind.COUNTY, state, parse_top(request.args.get("top"), LIST_TOP_DEFAULT))


@bp.get("/counties.csv")
def counties_csv():
    state = parse_state(request.args.get("state"))
    areas = area_list(AreaKind.COUNTY, state, top=parse_top(request.args.get("top"), LIST_TOP_DEFAULT))
    suffix = f"-{state}" if state else ""
    return csv_answer(areas_csv(areas, method_statement()), f"sightline-coverage-counties{suffix}.csv", LIVE)


@bp.get("/areas/<geoid>")
def area(geoid: str):
    figures = area_figures(geoid, top=parse_top(request.args.get("top")))
    return json_answer({"area": figures, "method": method_statement()}, LIVE)


@bp.get("/timeline")
def timeline():
    return json_answer({**area_timeline(request.args.get("area")), "method": method_statement()}, LIVE)


@bp.get("/timeline.csv")
def timeline_file():
    figures = area_timeline(request.args.get("area"))
    return csv_answer(
        timeline_csv(figures, method_statement()), f"sightline-timeline-{figures['area']}.csv", LIVE
    )


@bp.get("/view")
def in_view():
    figures = cameras_in_view(parse_bbox(request.args.get("bbox")), parse_top(request.args.get("top"), 3))
    return json_answer({**figures, "method": method_statement(with_denominators=False)}, LIVE)


@bp.get("/legend")
def legend():
    kind = area_kind(request.args.get("kind", "state"))
    answer = legend_of(kind)
    return json_answer({"kind": kind.value, "breaks": answer.breaks, "classes": answer.classes}, LIVE)


def _answer_once(payload: dict) -> Response:
    return not_stored(licensed(jsonify({**payload, "method": method_statement(with_denominators=False)})))


@bp.post("/polygon")
@reads_own_body
@analysis_limit
def polygon():
    top = parse_top(request.args.get("top"))
    answer, features = polygon_coverage(read_area(uploaded_document()), top)
    # The polygon is answered and forgotten (docs/privacy.md): its cameras download once it is kept there.
    answer["keep_area"] = url_for("feeds.follow_drawn_area", _external=True)
    method = json.dumps(method_statement(with_denominators=False))
    # The features come as JSON text from PostgreSQL: spliced in, not parsed and written again.
    collection = (
        f'{{"type": "FeatureCollection", "features": {features}}}' if features is not None else "null"
    )
    body = f'{json.dumps(answer)[:-1]}, "features": {collection}, "method": {method}}}'
    return not_stored(licensed(Response(body, mimetype="application/json")))


@bp.post("/route")
@reads_own_body
@analysis_limit
def route():
    document = uploaded_document()
    # Options come in the query string, or in the form beside an uploaded file.
    options = request.form if request.mimetype == "multipart/form-data" else request.args
    buffer_m = parse_buffer(options.get("buffer_m") or request.args.get("buffer_m"))
    two_way = parse_two_way(options.get("two_way") or request.args.get("two_way"))
    top = parse_top(options.get("top") or request.args.get("top"))
    answer = route_exposure(read_route(document), buffer_m, two_way, top)
    # The route is forgotten (docs/privacy.md): its cameras download only once asked to keep its corridor.
    keep = url_for("coverage_api.route_corridor", buffer_m=buffer_m, _external=True)
    return _answer_once({**answer, "keep_corridor": keep})


@bp.post("/route/corridor")
@reads_own_body
@analysis_limit
def route_corridor():
    """Keep a route's corridor (the points within buffer_m of it, where the route answer counts cameras) as a
    drawn area, at the sender's request: its hash, its Atom feed and the downloads of its cameras."""
    options = request.form if request.mimetype == "multipart/form-data" else request.args
    buffer_m = parse_buffer(options.get("buffer_m") or request.args.get("buffer_m"))
    area = keep_corridor(read_route(uploaded_document()), buffer_m)
    commit()
    feed = url_for("feeds.drawn_area_feed", area_hash=area, _external=True)
    response = jsonify(area=area, feed=feed, downloads=selection_downloads(area=area))
    response.status_code = 201
    return not_stored(licensed(response))
