"""/feeds/states/<geoid>.atom, /feeds/counties/<geoid>.atom, /feeds/agencies/<id>.atom and
/feeds/areas/<hash>.atom (a drawn area kept by POST /feeds/areas). Cheap by design: at most FEED_ENTRIES rows
read through an index, an ETag that answers 304, cached for a minute (a verified camera shows within 60 s)."""

from flask import Response, jsonify, redirect, request, url_for

from webapp.coverage.shapes import read_area
from webapp.coverage.upload import uploaded_document
from webapp.feeds.atom import atom_feed
from webapp.feeds.blueprint import bp
from webapp.feeds.entries import (
    Place,
    agency_place,
    area_place,
    drawn_place,
    fingerprint,
    keep_drawn_area,
    latest_changes,
)
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import csrf
from webapp.kernel.http.public_answers import public_answer
from webapp.kernel.http.ratelimit import analysis_limit
from webapp.kernel.http.text_input import reads_own_body
from webapp.opendata.selection_files import selection_downloads

FEED_MAX_AGE = 60


def _feed(place: Place, page_url: str | None) -> Response:
    changes = latest_changes(place)
    etag = fingerprint(place, changes)
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(atom_feed(place, changes, page_url), mimetype="application/atom+xml")
    response.set_etag(etag)
    # The licence is stated in the feed itself (its rights element).
    return public_answer(response, FEED_MAX_AGE, licence=False)


@bp.get("/states/<geoid>.atom")
def state_feed(geoid: str):
    return _feed(area_place("state", geoid), url_for("coverage.area_page", geoid=geoid, _external=True))


@bp.get("/counties/<geoid>.atom")
def county_feed(geoid: str):
    return _feed(area_place("county", geoid), url_for("coverage.area_page", geoid=geoid, _external=True))


@bp.get("/agencies/<id:agency_id>.atom")
def agency_feed(agency_id: int):
    page = url_for("agencies.agency_page", agency_id=agency_id, _external=True)
    return _feed(agency_place(agency_id), page)


@bp.get("/areas/<area_hash>.atom")
def drawn_area_feed(area_hash: str):
    return _feed(drawn_place(area_hash), None)


@bp.post("/areas")
@analysis_limit
@reads_own_body
def follow_drawn_area():
    """Keep a drawn polygon (GeoJSON, KML or GPX as the coverage tools take it) and answer its feed's URL, its
    hash and the downloads of its cameras (the `area=` selection)."""
    area_hash = keep_drawn_area(read_area(uploaded_document()))
    commit()
    url = url_for("feeds.drawn_area_feed", area_hash=area_hash, _external=True)
    if request.accept_mimetypes.best == "text/html":
        return redirect(url, code=303)
    response = jsonify(feed=url, area=area_hash, downloads=selection_downloads(area=area_hash))
    response.status_code = 201
    response.headers["Location"] = url
    return response


# A program keeps an area as it asks for the coverage of one (webapp.coverage.api is exempt too): the request
# reads no session and keeps only a polygon by its hash; posts from other sites are refused by their origin
# (webapp.kernel.http.request_origin), and the analysis budget bounds them.
csrf.exempt(follow_drawn_area)
