"""The reporters' questions about sharing, as queries:

- who receives data from the agencies of a state, a county or a drawn area (`receivers`): the sources are
  the agencies whose verified cameras stand there (and, for a state, the agencies of that state); the
  receivers are ranked by how many of those sources currently share with them, federal ones marked;
- which cameras feed a receiver (`feeding_sources`, then webapp.agencies.public.camera_sets for the cameras):
  every verified camera of every agency that currently shares with it;
- which agencies say their policy prohibits immigration enforcement but share with a federal agency
  (`policy_vs_federal`).

"Currently" is `retired_on IS NULL`. Every list is bounded (RECEIVERS_PAGE_ROWS a page, at most
SOURCES_MAX sources named)."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Text,
    and_,
    any_,
    cast,
    distinct,
    func,
    not_,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY

from webapp.agencies.public.camera_sets import camera_counts_by_agency
from webapp.agencies.public.profiles import agency_exists, agency_summary
from webapp.agencies.us_states import FIPS_BY_USPS, NAME_BY_USPS, STATE_BY_GEOID
from webapp.coverage.polygon import checked_shape
from webapp.coverage.shapes import Polygon
from webapp.kernel.data.models.agency import Agency, AgencySharing
from webapp.kernel.errors import InvalidField, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AgencyKind

RECEIVERS_PAGE_ROWS = 100
# A CSV or GeoJSON file of receivers holds this many a page: every receiver of the largest state today
# (about 4,600 agencies receive from anyone at all), so a file is the whole answer; past it, it says it is a
# page and links the next.
RECEIVERS_FILE_ROWS = 5000
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


def county_place(raw: str, state: str | None = None) -> Place:
    """A county by its five-digit GEOID, or by its name within a state ("Alameda" or "Alameda County" with
    state=CA)."""
    given = (raw or "").strip()
    if given.isascii() and given.isdigit():
        if len(given) != 5:
            raise InvalidField("county", _("county must be a county's five-digit GEOID, for example 37183."))
        name = db.session.scalar(
            text("SELECT name FROM areas WHERE geoid = :g AND kind = 'county'"), {"g": given}
        )
        if name is None:
            raise NotFound(_("There is no county with this GEOID."))
        return Place("county", given, name)
    if state is None:
        raise InvalidField("state", _("Choose the state of the county %(name)s.", name=given[:100]))
    # The boundary files name a county "Alameda County, California": the part before the comma is matched,
    # with or without "County".
    short = given.split(",")[0].strip()[:100]
    found = db.session.execute(
        text(
            "SELECT geoid, name FROM areas WHERE kind = 'county' AND state_geoid = :state "
            "AND lower(split_part(name, ',', 1)) IN (lower(:name), lower(:name) || ' county') ORDER BY geoid"
        ),
        {"state": FIPS_BY_USPS[state], "name": short},
    ).all()
    if len(found) != 1:
        raise NotFound(
            _("There is no county named %(name)s in %(state)s.", name=given[:100], state=NAME_BY_USPS[state])
        )
    return Place("county", found[0].geoid, found[0].name)


def place_of(county: str | None, state: str | None) -> Place | None:
    """A county (its GEOID, or its name within `state`) when one is named, else the state, else None."""
    if county:
        return county_place(county, state)
    return state_place(state) if state else None


def county_names(state: str) -> list[str]:
    """The counties of a state by name, for the receivers page's list."""
    return list(
        db.session.scalars(
            text(
                "SELECT split_part(name, ',', 1) FROM areas WHERE kind = 'county' AND state_geoid = :state "
                "ORDER BY 1"
            ),
            {"state": FIPS_BY_USPS[state]},
        )
    )


def drawn_place(polygons: list[Polygon]) -> tuple[Place, float]:
    shape, km2 = checked_shape(polygons)
    return Place("area", None, _("the drawn area"), shape), km2


def source_agencies(place: Place) -> list[int]:
    """The agencies whose verified cameras stand in the place (and, for a state, the state's agencies)."""
    if place.kind == "state":
        sql = (
            "SELECT DISTINCT agency_id FROM cameras WHERE state_geoid = :geoid AND agency_id IS NOT NULL "
            "AND camera_citable(status, demo) "
            "UNION SELECT id FROM agencies WHERE state = :code AND NOT test_account"
        )
        params = {"geoid": FIPS_BY_USPS[place.code], "code": place.code}
    elif place.kind == "county":
        sql = (
            "SELECT DISTINCT agency_id FROM cameras WHERE county_geoid = :geoid AND agency_id IS NOT NULL "
            "AND camera_citable(status, demo)"
        )
        params = {"geoid": place.code}
    else:
        sql = (
            "SELECT DISTINCT agency_id FROM cameras "
            "WHERE agency_id IS NOT NULL AND camera_citable(status, demo) "
            "AND ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON(:shape), 4326))"
        )
        params = {"shape": place.shape}
    return sorted(db.session.scalars(text(sql), params))


class Receivers:
    """Which receivers an answer lists: all of them, the federal ones, those of another state, or both of
    those (what California's law forbids sharing with: Civil Code 1798.90.55(b))."""

    ALL = "all"
    FEDERAL = "federal"
    OUT_OF_STATE = "out_of_state"
    FEDERAL_OR_OUT_OF_STATE = "federal_or_out_of_state"
    CHOICES = (ALL, FEDERAL, OUT_OF_STATE, FEDERAL_OR_OUT_OF_STATE)


# A receiver of another state: not federal, its state known and not one of the place's. An unknown state is
# counted apart (`receivers_state_unknown`), never as out of state.
def _out_of_state(agency, home: list[str]) -> ColumnElement[bool]:
    return and_(
        agency.c.kind != AgencyKind.FEDERAL,
        agency.c.state.is_not(None),
        not_(agency.c.state == any_(cast(home, ARRAY(Text)))),
    )


def _receiver_filter(only: str, agency, home: list[str]) -> ColumnElement[bool]:
    federal = agency.c.kind == AgencyKind.FEDERAL
    return {
        Receivers.ALL: true(),
        Receivers.FEDERAL: federal,
        Receivers.OUT_OF_STATE: _out_of_state(agency, home),
        Receivers.FEDERAL_OR_OUT_OF_STATE: or_(federal, _out_of_state(agency, home)),
    }[only]


def parse_receivers_filter(raw: str | None) -> str:
    value = (raw or "").strip() or Receivers.ALL
    if value not in Receivers.CHOICES:
        raise InvalidField(
            "only", _("only must be one of %(allowed)s.", allowed=", ".join(Receivers.CHOICES))
        )
    return value


def home_states(place: Place, sources: list[int]) -> list[str]:
    """The states a place is in (USPS codes): a state's own, a county's, or those where the cameras of a
    drawn area stand."""
    if place.kind == "state":
        return [place.code]
    if place.kind == "county":
        return [STATE_BY_GEOID[place.code[:2]]] if place.code[:2] in STATE_BY_GEOID else []
    fips = db.session.scalars(
        text(
            "SELECT DISTINCT state_geoid FROM cameras WHERE agency_id = ANY(CAST(:sources AS bigint[])) "
            "AND camera_citable(status, demo) AND state_geoid IS NOT NULL "
            "AND ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON(:shape), 4326))"
        ),
        {"sources": sources, "shape": place.shape},
    )
    return sorted(STATE_BY_GEOID[code] for code in fips if code in STATE_BY_GEOID)


def _listed_receivers(receivers_of, agency):
    """The receivers joined to their agency, test accounts left out."""
    return receivers_of.join(
        agency, and_(agency.c.id == receivers_of.c.to_agency_id, not_(agency.c.test_account))
    )


def receivers(place: Place, page: int, rows: int = RECEIVERS_PAGE_ROWS, only: str = Receivers.ALL) -> dict:
    """The receivers of a place's sources, federal ones first, then by how many sources share with each;
    `only` narrows the list (the totals stay those of every receiver)."""
    sources = source_agencies(place)
    home = home_states(place, sources)
    sharing_table, a = AgencySharing.__table__, Agency.__table__.alias("a")
    current = and_(
        sharing_table.c.from_agency_id == any_(cast(sources, ARRAY(BigInteger))),
        sharing_table.c.retired_on.is_(None),
    )
    sharing = db.session.scalar(select(func.count(distinct(sharing_table.c.from_agency_id))).where(current))
    federal = a.c.kind == AgencyKind.FEDERAL
    listed = _receiver_filter(only, a, home)
    receivers_of = select(sharing_table.c.to_agency_id).where(current).distinct().subquery("r")
    counted = db.session.execute(
        select(
            func.count().label("receivers"),
            func.count().filter(federal).label("federal"),
            func.count().filter(_out_of_state(a, home)).label("out_of_state"),
            func.count().filter(and_(not_(federal), a.c.state.is_(None))).label("state_unknown"),
            func.count().filter(listed).label("listed"),
        ).select_from(_listed_receivers(receivers_of, a))
    ).one()
    ranked_of = (
        select(
            sharing_table.c.to_agency_id,
            func.count(distinct(sharing_table.c.from_agency_id)).label("sources"),
            func.min(sharing_table.c.seen_on).label("first_seen"),
            func.max(sharing_table.c.seen_on).label("last_seen"),
        )
        .where(current)
        .group_by(sharing_table.c.to_agency_id)
        .subquery("r")
    )
    ranked = db.session.execute(
        select(
            a.c.id,
            a.c.name,
            a.c.kind,
            a.c.state,
            ranked_of.c.sources,
            ranked_of.c.first_seen,
            ranked_of.c.last_seen,
        )
        .select_from(_listed_receivers(ranked_of, a))
        .where(listed)
        .order_by(federal.desc(), ranked_of.c.sources.desc(), a.c.name, a.c.id)
        .offset((page - 1) * rows)
        .limit(rows)
    ).mappings()
    return {
        "place": {**place.as_dict(), "states": home},
        "only": only,
        "sources": len(sources),
        "sources_sharing": sharing,
        "receivers_total": counted.receivers,
        "federal_receivers": counted.federal,
        "out_of_state_receivers": counted.out_of_state,
        "receivers_state_unknown": counted.state_unknown,
        "receivers_listed": counted.listed,
        "page": page,
        "page_rows": rows,
        "more": page * rows < counted.listed,
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
    (most cameras first). At most SOURCES_MAX sources are read, the lowest ids, and the totals count those:
    the most relations one agency has in the shipped data is 3,861 (the selection download, `?receiver=`,
    has no such cap, so past it the file would hold more). A relation read from a vendor's
    portal shares that vendor's cameras only (`vendors`; None: a relation tied to no vendor, every camera)."""
    receiver = agency_exists(receiver_id)
    rows = db.session.execute(
        text(
            """
            SELECT a.id, a.name, a.kind, a.state, min(s.seen_on) AS seen_on,
                   string_agg(DISTINCT s.source, ' | ') AS source,
                   CASE WHEN bool_or(s.vendor IS NULL) THEN NULL
                        ELSE array_agg(DISTINCT s.vendor ORDER BY s.vendor) END AS vendors
            FROM agency_sharing AS s JOIN agencies AS a ON a.id = s.from_agency_id
            WHERE s.to_agency_id = :id AND s.retired_on IS NULL AND NOT a.test_account
            GROUP BY a.id ORDER BY a.id LIMIT :limit
            """
        ),
        {"id": receiver_id, "limit": SOURCES_MAX},
    ).mappings()
    sources = [
        {
            **agency_summary(row),
            "seen_on": row["seen_on"].isoformat(),
            "source": row["source"],
            "vendors": row["vendors"],
        }
        for row in rows
    ]
    pairs = [(entry["id"], vendor) for entry in sources for vendor in (entry["vendors"] or [None])]
    ids, vendors = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
    cameras = camera_counts_by_agency(ids, vendors)
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
        "source_vendors": vendors,
    }


def policy_vs_federal() -> dict:
    """Agencies whose latest stated policy prohibits immigration enforcement and which currently share
    with at least one federal agency: the policy (date, source) and each federal receiver (source, date)."""
    rows = (
        db.session.execute(
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
                       'source', s.source, 'seen_on', s.seen_on) ORDER BY f.name, f.id) AS federal,
                   count(*) OVER () AS found
            FROM latest AS l
            JOIN agencies AS a ON a.id = l.agency_id AND NOT a.test_account
            JOIN agency_sharing AS s ON s.from_agency_id = a.id AND s.retired_on IS NULL
            JOIN agencies AS f ON f.id = s.to_agency_id AND f.kind = 'federal' AND NOT f.test_account
            WHERE l.prohibits_immigration_enforcement
            GROUP BY a.id, l.accessed_on, l.url, l.prohibited_uses, l.title, l.attribution
            ORDER BY count(*) DESC, a.name, a.id LIMIT :limit
            """
            ),
            {"limit": POLICY_ROWS_MAX},
        )
        .mappings()
        .all()
    )
    found = rows[0]["found"] if len(rows) == POLICY_ROWS_MAX else len(rows)
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
    # `total` counts every agency found; past POLICY_ROWS_MAX the list holds the first ones and says so.
    return {"agencies": agencies, "total": found, "listed": len(agencies), "complete": found == len(agencies)}


def agency_points(agency_ids: list[int]) -> dict[int, tuple[float, float]]:
    """Where an agency's cameras stand on average (for GeoJSON answers about agencies); agencies with no
    mapped camera have none."""
    if not agency_ids:
        return {}
    rows = db.session.execute(
        text(
            "SELECT agency_id, avg(ST_X(geom)) AS lon, avg(ST_Y(geom)) AS lat FROM cameras "
            "WHERE agency_id = ANY(CAST(:ids AS bigint[])) AND camera_citable(status, demo) "
            "GROUP BY agency_id"
        ),
        {"ids": agency_ids},
    )
    return {row.agency_id: (row.lon, row.lat) for row in rows}
