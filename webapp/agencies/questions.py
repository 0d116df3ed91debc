"""The reporters' questions about sharing, as queries:

- who receives data from the agencies of a state, a county or a drawn area (`receivers`): the sources are
  the agencies whose verified cameras stand there (and, for a state, the agencies of that state); the
  receivers are ranked by how many of those sources currently share with them, federal ones marked;
- which cameras feed a receiver (`feeding_sources`, then webapp.agencies.camera_sets for the cameras):
  every verified camera of every agency that currently shares with it;
- which agencies say their policy prohibits immigration enforcement but share with a federal agency
  (`policy_vs_federal`).

"Currently" is `retired_on IS NULL`. Every list is bounded (RECEIVERS_PAGE_ROWS a page, at most
SOURCES_MAX sources named)."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.agencies.camera_sets import camera_counts_by_agency
from webapp.agencies.filters import FIPS_BY_USPS, NAME_BY_USPS
from webapp.agencies.pages import agency_exists, agency_summary
from webapp.coverage.polygon import checked_shape
from webapp.coverage.shapes import Polygon
from webapp.geo.public_cameras import CITABLE
from webapp.kernel.errors import InvalidField, NotFound
from webapp.kernel.extensions import db

RECEIVERS_PAGE_ROWS = 100
SOURCES_MAX = 5000
POLICY_ROWS_MAX = 1000


@dataclass(frozen=True)
class Place:
    """Where the sources stand: a state (USPS code), a county (GEOID) or a drawn area."""

    kind: str
    code: str | None
    name: str
    shape: str | None = None  # a drawn area as GeoJSON, checked by the coverage package

    def as_dict(self) -> dict:
        return {"kind": self.kind, "code": self.code, "name": self.name}


def state_place(code: str) -> Place:
    return Place("state", code, NAME_BY_USPS[code])


def county_place(raw: str) -> Place:
    geoid = (raw or "").strip()
    if not (geoid.isascii() and geoid.isdigit() and len(geoid) == 5):
        raise InvalidField("county", _("county must be a county's five-digit GEOID, for example 37183."))
    name = db.session.scalar(
        text("SELECT name FROM areas WHERE geoid = :g AND kind = 'county'"), {"g": geoid}
    )
    if name is None:
        raise NotFound(_("There is no county with this GEOID."))
    return Place("county", geoid, name)


def drawn_place(polygons: list[Polygon]) -> tuple[Place, float]:
    shape, km2 = checked_shape(polygons)
    return Place("area", None, _("the drawn area"), shape), km2


def source_agencies(place: Place) -> list[int]:
    """The agencies whose verified cameras stand in the place (and, for a state, the state's agencies)."""
    if place.kind == "state":
        sql = (
            f"SELECT DISTINCT agency_id FROM cameras WHERE state_geoid = :geoid AND agency_id IS NOT NULL "
            f"AND {CITABLE} UNION SELECT id FROM agencies WHERE state = :code"
        )
        params = {"geoid": FIPS_BY_USPS[place.code], "code": place.code}
    elif place.kind == "county":
        sql = (
            "SELECT DISTINCT agency_id FROM cameras WHERE county_geoid = :geoid AND agency_id IS NOT NULL "
            f"AND {CITABLE}"
        )
        params = {"geoid": place.code}
    else:
        sql = (
            "SELECT DISTINCT agency_id FROM cameras WHERE agency_id IS NOT NULL AND "
            f"{CITABLE} AND ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON(:shape), 4326))"
        )
        params = {"shape": place.shape}
    return sorted(db.session.scalars(text(sql), params))


def receivers(place: Place, page: int, rows: int = RECEIVERS_PAGE_ROWS) -> dict:
    sources = source_agencies(place)
    sharing = db.session.scalar(
        text(
            "SELECT count(DISTINCT from_agency_id) FROM agency_sharing "
            "WHERE from_agency_id = ANY(CAST(:sources AS bigint[])) AND retired_on IS NULL"
        ),
        {"sources": sources},
    )
    counted = db.session.execute(
        text(
            """
            SELECT count(*) AS receivers, count(*) FILTER (WHERE kind = 'federal') AS federal FROM (
                SELECT DISTINCT s.to_agency_id FROM agency_sharing AS s
                WHERE s.from_agency_id = ANY(CAST(:sources AS bigint[])) AND s.retired_on IS NULL
            ) AS r JOIN agencies AS a ON a.id = r.to_agency_id
            """
        ),
        {"sources": sources},
    ).one()
    ranked = db.session.execute(
        text(
            """
            SELECT a.id, a.name, a.kind, a.state, r.sources, r.first_seen, r.last_seen
            FROM (
                SELECT to_agency_id, count(DISTINCT from_agency_id) AS sources,
                       min(seen_on) AS first_seen, max(seen_on) AS last_seen
                FROM agency_sharing
                WHERE from_agency_id = ANY(CAST(:sources AS bigint[])) AND retired_on IS NULL
                GROUP BY to_agency_id
            ) AS r JOIN agencies AS a ON a.id = r.to_agency_id
            ORDER BY r.sources DESC, (a.kind = 'federal') DESC, a.name, a.id
            OFFSET :offset LIMIT :rows
            """
        ),
        {"sources": sources, "offset": (page - 1) * rows, "rows": rows},
    ).mappings()
    return {
        "place": place.as_dict(),
        "sources": len(sources),
        "sources_sharing": sharing,
        "receivers_total": counted.receivers,
        "federal_receivers": counted.federal,
        "page": page,
        "page_rows": rows,
        "receivers": [
            {
                **agency_summary(row),
                "sources": row["sources"],
                "share_of_sources": round(row["sources"] / sharing, 4) if sharing else None,
                "seen_from": row["first_seen"].isoformat(),
                "seen_to": row["last_seen"].isoformat(),
            }
            for row in ranked
        ],
    }


def feeding_sources(receiver_id: int) -> dict:
    """The receiver, and every agency that currently shares with it with the cameras mapped under each
    (most cameras first, at most SOURCES_MAX named; the totals are complete)."""
    receiver = agency_exists(receiver_id)
    rows = db.session.execute(
        text(
            """
            SELECT a.id, a.name, a.kind, a.state, min(s.seen_on) AS seen_on,
                   string_agg(DISTINCT s.source, ' | ') AS source
            FROM agency_sharing AS s JOIN agencies AS a ON a.id = s.from_agency_id
            WHERE s.to_agency_id = :id AND s.retired_on IS NULL
            GROUP BY a.id ORDER BY a.id LIMIT :limit
            """
        ),
        {"id": receiver_id, "limit": SOURCES_MAX},
    ).mappings()
    sources = [
        {**agency_summary(row), "seen_on": row["seen_on"].isoformat(), "source": row["source"]}
        for row in rows
    ]
    ids = [entry["id"] for entry in sources]
    cameras = camera_counts_by_agency(ids)
    for entry in sources:
        entry["cameras"] = cameras.get(entry["id"], 0)
    sources.sort(key=lambda entry: (-entry["cameras"], entry["name"], entry["id"]))
    return {
        "receiver": receiver,
        "source_agencies": len(sources),
        "source_agencies_with_cameras": sum(1 for entry in sources if entry["cameras"]),
        "cameras": sum(cameras.values()),
        "sources": sources,
        "source_ids": ids,
    }


def policy_vs_federal() -> dict:
    """Agencies whose latest stated policy prohibits immigration enforcement and which currently share
    with at least one federal agency: the policy (date, source) and each federal receiver (source, date)."""
    rows = db.session.execute(
        text(
            """
            WITH latest AS (
                SELECT DISTINCT ON (p.agency_id) p.agency_id, p.accessed_on, p.url, p.prohibited_uses,
                       p.prohibits_immigration_enforcement, d.title, d.attribution
                FROM agency_policies AS p JOIN data_sources AS d ON d.id = p.data_source_id
                ORDER BY p.agency_id, p.accessed_on DESC, p.id DESC
            )
            SELECT a.id, a.name, a.kind, a.state, l.accessed_on, l.url, l.prohibited_uses,
                   l.title AS policy_data_set, l.attribution AS policy_attribution,
                   json_agg(json_build_object(
                       'id', f.id, 'name', f.name, 'kind', f.kind, 'state', f.state,
                       'source', s.source, 'seen_on', s.seen_on) ORDER BY f.name, f.id) AS federal
            FROM latest AS l
            JOIN agencies AS a ON a.id = l.agency_id
            JOIN agency_sharing AS s ON s.from_agency_id = a.id AND s.retired_on IS NULL
            JOIN agencies AS f ON f.id = s.to_agency_id AND f.kind = 'federal'
            WHERE l.prohibits_immigration_enforcement
            GROUP BY a.id, l.accessed_on, l.url, l.prohibited_uses, l.title, l.attribution
            ORDER BY count(*) DESC, a.name, a.id LIMIT :limit
            """
        ),
        {"limit": POLICY_ROWS_MAX},
    ).mappings()
    agencies = [
        {
            **agency_summary(row),
            "policy": {
                "prohibited_uses": row["prohibited_uses"],
                "accessed_on": row["accessed_on"].isoformat(),
                "url": row["url"],
                "data_set": row["policy_data_set"],
                "attribution": row["policy_attribution"],
            },
            "federal_receivers": [
                {**agency_summary(entry), "source": entry["source"], "seen_on": entry["seen_on"]}
                for entry in row["federal"]
            ],
        }
        for row in rows
    ]
    return {"agencies": agencies, "total": len(agencies)}


def agency_points(agency_ids: list[int]) -> dict[int, tuple[float, float]]:
    """Where an agency's cameras stand on average (for GeoJSON answers about agencies); agencies with no
    mapped camera have none."""
    if not agency_ids:
        return {}
    rows = db.session.execute(
        text(
            f"SELECT agency_id, avg(ST_X(geom)) AS lon, avg(ST_Y(geom)) AS lat FROM cameras "
            f"WHERE agency_id = ANY(CAST(:ids AS bigint[])) AND {CITABLE} GROUP BY agency_id"
        ),
        {"ids": agency_ids},
    )
    return {row.agency_id: (row.lon, row.lat) for row in rows}
