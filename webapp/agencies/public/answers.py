"""The reporters' questions as files: CSV through the one CSV writer (formula cells neutralised), GeoJSON
with points as webapp.geo.geojson writes them. Every CSV row repeats the sources statement (`sources`,
`as_of`), every GeoJSON collection carries it as foreign members, so a copied row keeps its provenance.

Agencies have no position of their own: an agency's feature stands at the mean position of its mapped
cameras, and has a null geometry (allowed by RFC 7946) when none is mapped."""

from flask_babel import gettext as _

from webapp.agencies.public.sources import sources_line
from webapp.geo.geojson import camera_feature, point_feature
from webapp.kernel.csv_cells import csv_with_provenance
from webapp.kernel.vocabulary import Limits
from webapp.opendata.licence import row_attribution


def _csv(columns: list[str], rows: list[list], statement: dict, note: str | None = None) -> str:
    return csv_with_provenance(
        columns, rows, {"sources": sources_line(statement), "as_of": statement["as_of"]}, note
    )


def next_page_note(following: str | None) -> str | None:
    """What a file that is one page of a longer answer says in its last line."""
    if not following:
        return None
    return _("This file is one page of the answer; the next page is at %(url)s", url=following)


def _agency_feature(entry: dict, points: dict, properties: dict) -> dict:
    point = points.get(entry["id"])
    if point is None:
        return {"type": "Feature", "id": entry["id"], "geometry": None, "properties": properties}
    return point_feature(entry["id"], point[0], point[1], properties)


def collection(features: list[dict], statement: dict, **members) -> dict:
    return {"type": "FeatureCollection", **members, "sources": statement, "features": features}


# A receiver's entry by its column in the files: its count of sources is `source_agencies` there, since
# `sources` is the provenance column every file ends with.
RECEIVER_COLUMNS = {
    "id": "id",
    "name": "name",
    "kind": "kind",
    "federal": "federal",
    "state": "state",
    "source_agencies": "sources",
    "share_of_sources": "share_of_sources",
    "seen_from": "seen_from",
    "seen_to": "seen_to",
}
RECEIVER_HEAD = (
    "place",
    "only",
    "sources",
    "sources_sharing",
    "receivers_total",
    "federal_receivers",
    "out_of_state_receivers",
    "receivers_state_unknown",
    "receivers_listed",
    "page",
    "page_rows",
)


def receivers_csv(answer: dict, statement: dict, following: str | None = None) -> str:
    rows = [[entry[key] for key in RECEIVER_COLUMNS.values()] for entry in answer["receivers"]]
    return _csv(list(RECEIVER_COLUMNS), rows, statement, next_page_note(following))


def receivers_geojson(answer: dict, points: dict, statement: dict, following: str | None = None) -> dict:
    features = [
        _agency_feature(
            entry, points, {column: entry[key] for column, key in RECEIVER_COLUMNS.items() if key != "id"}
        )
        for entry in answer["receivers"]
    ]
    # The collection's `sources` is the provenance statement: the count of source agencies is named apart.
    head = {("source_agencies" if key == "sources" else key): answer[key] for key in RECEIVER_HEAD}
    return collection(features, statement, **head, complete=not following, next=following)


CAMERA_COLUMNS = ["id", "lat", "lon", "vendor", "operator", "agency_id", "agency", "source", "attribution"]
# A camera feature's properties: the columns but its id and position (the feature's own), and its directions.
CAMERA_PROPERTIES = (*(name for name in CAMERA_COLUMNS if name not in ("id", "lat", "lon")), "directions")


def _camera_values(row: dict, names: dict) -> list:
    digits = Limits.COORDINATE_DIGITS
    return [
        row["id"],
        round(row["lat"], digits),
        round(row["lon"], digits),
        row["vendor"],
        row["operator"],
        row["agency_id"],
        names.get(row["agency_id"]),
        row["source"],
        row_attribution(row["source"]),
    ]


def cameras_csv(rows: list[dict], names: dict, statement: dict, following: str | None = None) -> str:
    values = [_camera_values(row, names) for row in rows]
    return _csv(CAMERA_COLUMNS, values, statement, next_page_note(following))


def cameras_geojson(rows: list[dict], names: dict, statement: dict, **members) -> dict:
    features = [
        camera_feature(
            {**row, **dict(zip(CAMERA_COLUMNS, _camera_values(row, names), strict=True))}, CAMERA_PROPERTIES
        )
        for row in rows
    ]
    return collection(features, statement, **members)


POLICY_COLUMNS = [
    "id",
    "name",
    "kind",
    "state",
    "prohibited_uses",
    "policy_accessed_on",
    "policy_url",
    "federal_receivers",
    "federal_relation_sources",
]


def _policy_values(entry: dict) -> list:
    federal = entry["federal_receivers"]
    return [
        entry["id"],
        entry["name"],
        entry["kind"],
        entry["state"],
        entry["policy"]["prohibited_uses"],
        entry["policy"]["accessed_on"],
        entry["policy"]["url"],
        "; ".join(receiver["name"] for receiver in federal),
        "; ".join(
            f"{receiver['name']}: {receiver['source']} ({receiver['seen_on']})" for receiver in federal
        ),
    ]


def _policy_cap_note(answer: dict) -> str | None:
    if answer["complete"]:
        return None
    return _(
        "This file holds the first %(listed)d of %(total)d agencies (the most federal receivers first).",
        listed=answer["listed"],
        total=answer["total"],
    )


def policy_csv(answer: dict, statement: dict) -> str:
    values = [_policy_values(entry) for entry in answer["agencies"]]
    return _csv(POLICY_COLUMNS, values, statement, _policy_cap_note(answer))


def policy_geojson(answer: dict, points: dict, statement: dict) -> dict:
    features = []
    for entry in answer["agencies"]:
        properties = dict(zip(POLICY_COLUMNS, _policy_values(entry), strict=True))
        del properties["id"]
        properties["federal_receivers"] = entry["federal_receivers"]
        features.append(_agency_feature(entry, points, properties))
    head = {key: answer[key] for key in ("total", "listed", "complete")}
    return collection(features, statement, **head, note=_policy_cap_note(answer))
