"""What every agency answer says about where its facts come from: the published data sets it draws on
(title, publisher, licence, attribution, when the data was collected), that moderators' relations cite their
own source on each row, the licence of the cameras, and when the answer was read. Pages, JSON, CSV and
GeoJSON all take it from here."""

from datetime import UTC, datetime

from sqlalchemy import text

from webapp.kernel.extensions import db
from webapp.opendata.licence import ATTRIBUTION as CAMERA_ATTRIBUTION
from webapp.opendata.licence import LICENCE as CAMERA_LICENCE

MODERATOR_SOURCES = (
    "Relations recorded by Sightline moderators cite their own source (a document or URL) on each row, "
    "with the date it was seen."
)
SELF_REPORTED = (
    "Portal figures and policies are what each agency published on its vendor transparency portal, on the "
    "date given: self-reported claims, not verified by Sightline."
)


def as_of() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ")


def data_sets() -> list[dict]:
    rows = db.session.execute(
        text(
            "SELECT key, title, publisher, url, licence, attribution, collected_from, collected_to "
            "FROM data_sources ORDER BY id"
        )
    ).mappings()
    return [
        {
            **{name: row[name] for name in ("key", "title", "publisher", "url", "licence", "attribution")},
            "collected_from": row["collected_from"].isoformat() if row["collected_from"] else None,
            "collected_to": row["collected_to"].isoformat() if row["collected_to"] else None,
        }
        for row in rows
    ]


def sources_statement(with_cameras: bool = True) -> dict:
    statement = {
        "as_of": as_of(),
        "data_sets": data_sets(),
        "moderators": MODERATOR_SOURCES,
        "self_reported": SELF_REPORTED,
    }
    if with_cameras:
        statement["cameras"] = {
            "counted": "Verified cameras only (never hidden, removed, unreviewed or demo cameras), each "
            "under the agency its operator is linked to.",
            "licence": CAMERA_LICENCE,
            "attribution": CAMERA_ATTRIBUTION,
        }
    return statement


def sources_line(statement: dict) -> str:
    """The statement in one cell (CSV rows repeat it, so a row copied out keeps its provenance)."""
    parts = [
        f"{data_set['title']} ({data_set['publisher']}; {data_set['licence']}; "
        f"credit: {data_set['attribution']}; "
        f"collected {data_set['collected_from'] or '?'} to {data_set['collected_to'] or '?'})"
        for data_set in statement["data_sets"]
    ]
    parts.append(statement["moderators"])
    if "cameras" in statement:
        parts.append(f"Cameras: {statement['cameras']['licence']}, {statement['cameras']['attribution']}")
    return " | ".join(parts)
