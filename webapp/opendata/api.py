"""Open-data routes under /api/v1: cameras by area, the count in a map view, and the full exports (files
written when the data changes, served with ETag and Range: webapp.opendata.export_files)."""

import re

from flask import request
from flask_babel import gettext as _

from webapp.geo.bbox import parse_bbox
from webapp.geo.public_cameras import cameras_in_bbox, count_in_view
from webapp.kernel.errors import InvalidInput
from webapp.kernel.http.public_answers import geojson_answer, json_answer
from webapp.kernel.http.query_args import whole_number
from webapp.opendata.blueprint import bp
from webapp.opendata.export_files import send_export
from webapp.opendata.formats import feature_collection
from webapp.opendata.licence import ATTRIBUTION, LICENCE
from webapp.opendata.selection_files import send_selection
from webapp.opendata.selections import (
    Selection,
    agency_selection,
    county_selection,
    drawn_area_selection,
    receiver_selection,
    state_selection,
    view_selection,
)


@bp.get("/cameras")
def cameras_in_area():
    rows = cameras_in_bbox(parse_bbox(request.args.get("bbox")))
    return geojson_answer(feature_collection(rows))


@bp.get("/cameras/count")
def cameras_count():
    count = count_in_view(parse_bbox(request.args.get("bbox")))
    # The licence is in the body: the headers of the count stay as they were (no Link).
    payload = {"cameras": count.cameras, "exact": count.exact, "licence": LICENCE, "attribution": ATTRIBUTION}
    return json_answer(payload, licence=False)


@bp.get("/cameras.<any(geojson, csv, kml):export_format>")
def export(export_format: str):
    return send_export(export_format)


@bp.get("/cameras/removed.csv")
def removed_export():
    """Cameras confirmed taken down from the street, with the month (written with the other exports)."""
    return send_export("removed-csv")


GEOID = re.compile(r"^[0-9]{2}([0-9]{3})?$")
AREA_HASH = re.compile(r"^[0-9a-f]{32}$")


def parse_selection(args) -> Selection:
    """One of ?state=GEOID, ?county=GEOID, ?agency=ID, ?receiver=ID (the cameras that feed an agency),
    ?bbox=w,s,e,n or ?area=HASH (a drawn area kept by POST /feeds/areas)."""
    given = [name for name in ("state", "county", "agency", "receiver", "bbox", "area") if args.get(name)]
    if len(given) != 1:
        raise InvalidInput(_("Say which cameras: one of state, county, agency, receiver, bbox or area."))
    name = given[0]
    value = args[name]
    if name in ("state", "county") and GEOID.match(value) and len(value) == (2 if name == "state" else 5):
        return state_selection(value) if name == "state" else county_selection(value)
    if name in ("agency", "receiver"):
        agency_id = whole_number(value, name, 0, 1, 2**63 - 1)
        return agency_selection(agency_id) if name == "agency" else receiver_selection(agency_id)
    if name == "bbox":
        return view_selection(parse_bbox(value))
    if name == "area" and AREA_HASH.match(value):
        return drawn_area_selection(value)
    raise InvalidInput(_("%(value)s is not a valid %(name)s.", value=value[:40], name=name), field=name)


@bp.get("/cameras/selection.<any(csv, geojson, kml, parquet, fgb):file_format>")
def selection_download(file_format: str):
    """The citable cameras of one answer (?state=, ?county=, ?agency=, ?receiver=, ?bbox= or ?area=) in any
    format, each file stamped with the licence and "live as of"."""
    return send_selection(parse_selection(request.args), file_format)
