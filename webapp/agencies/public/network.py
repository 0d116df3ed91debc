"""The sharing graph around one agency, bounded so that it stays readable in a graph of 5,000 agencies and
37,000 relations: never the whole graph, only the centre's neighbours (one hop) and, for the best-ranked of
them, their neighbours (two hops), ranked by how many current relations each has, filtered by kind, state,
federal only and direction, with at most `limit` nodes in one answer. The browser asks again around a node
to expand it (webapp/static/js/agency-network.js).

Ranking reads the degree of every candidate in one grouped query over the relations index; edges are only
those among the nodes returned."""

from dataclasses import dataclass

from sqlalchemy import BigInteger, any_, cast, func, not_, select, text, union
from sqlalchemy.dialects.postgresql import ARRAY

from webapp.agencies.public.camera_sets import camera_counts_by_agency
from webapp.agencies.public.criteria import Direction
from webapp.agencies.public.profiles import agency_exists, agency_summary
from webapp.kernel.data.models.agency import Agency, AgencySharing
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AgencyKind

NETWORK_DEFAULT_NODES = 60
NETWORK_MAX_NODES = 200
# Two hops expand this many of the best-ranked neighbours (each adding its own best-ranked neighbours).
SECOND_HOP_FROM = 10


@dataclass(frozen=True)
class NetworkFilters:
    direction: str = Direction.BOTH
    kind: str | None = None
    state: str | None = None
    federal_only: bool = False
    hops: int = 1
    limit: int = NETWORK_DEFAULT_NODES


def _neighbours(centres: list[int], direction: str):
    """Every current neighbour of the `centres` in that direction (as `neighbour`), once."""
    sharing = AgencySharing.__table__
    current = sharing.c.retired_on.is_(None)
    ends = []
    if direction in (Direction.SHARES_WITH, Direction.BOTH):
        ends.append((sharing.c.from_agency_id, sharing.c.to_agency_id))
    if direction in (Direction.RECEIVES_FROM, Direction.BOTH):
        ends.append((sharing.c.to_agency_id, sharing.c.from_agency_id))
    parts = [
        select(neighbour.label("neighbour")).where(centre == any_(cast(centres, ARRAY(BigInteger))), current)
        for centre, neighbour in ends
    ]
    return union(*parts).subquery("near")


def _relation_count(agency_column, passing_id):
    sharing = AgencySharing.__table__
    return (
        select(func.count())
        .where(sharing.c[agency_column] == passing_id, sharing.c.retired_on.is_(None))
        .scalar_subquery()
    )


def _ranked_neighbours(
    centres: list[int], filters: NetworkFilters, exclude: set[int], limit: int
) -> tuple[list, int]:
    """The best-ranked neighbours of `centres` passing the filters (not in `exclude`), and how many pass."""
    a = Agency.__table__.alias("a")
    conditions = [not_(a.c.id == any_(cast(sorted(exclude), ARRAY(BigInteger)))), not_(a.c.test_account)]
    if filters.federal_only:
        conditions.append(a.c.kind == AgencyKind.FEDERAL)
    elif filters.kind:
        conditions.append(a.c.kind == filters.kind)
    if filters.state:
        conditions.append(a.c.state == filters.state)
    near = _neighbours(centres, filters.direction)
    passing = (
        select(a.c.id, a.c.name, a.c.kind, a.c.state)
        .select_from(near.join(a, a.c.id == near.c.neighbour))
        .where(*conditions)
        .cte("passing")
    )
    degree = select(
        passing.c.id,
        _relation_count("from_agency_id", passing.c.id).label("shares_with"),
        _relation_count("to_agency_id", passing.c.id).label("receives_from"),
    ).cte("degree")
    rows = db.session.execute(
        select(
            passing,
            degree.c.shares_with,
            degree.c.receives_from,
            func.count().over().label("passing"),
        )
        .select_from(passing.join(degree, degree.c.id == passing.c.id))
        .order_by((degree.c.shares_with + degree.c.receives_from).desc(), passing.c.name, passing.c.id)
        .limit(limit)
    ).mappings()
    found = list(rows)
    return found, (found[0]["passing"] if found else 0)


def _node(row, hop: int) -> dict:
    return {
        **agency_summary(row),
        "hop": hop,
        "shares_with": row["shares_with"],
        "receives_from": row["receives_from"],
    }


def neighbourhood(agency_id: int, filters: NetworkFilters) -> dict:
    """{"centre", "nodes", "edges", "shown", "not_shown"}: the centre, its best-ranked neighbours, and
    (two hops) theirs; `not_shown` says how many passing neighbours were left out by the limit."""
    centre = agency_exists(agency_id)
    degrees = db.session.execute(
        text(
            "SELECT (SELECT count(*) FROM agency_sharing WHERE from_agency_id = :id AND retired_on IS NULL) "
            "AS s, "
            "(SELECT count(*) FROM agency_sharing WHERE to_agency_id = :id AND retired_on IS NULL) AS r"
        ),
        {"id": agency_id},
    ).one()
    nodes = {agency_id: {**centre, "hop": 0, "shares_with": degrees.s, "receives_from": degrees.r}}
    budget = filters.limit - 1
    first, passing_first = _ranked_neighbours([agency_id], filters, set(nodes), budget)
    for row in first:
        nodes[row["id"]] = _node(row, 1)
    not_shown = passing_first - len(first)
    if filters.hops == 2 and len(nodes) < filters.limit:
        expand = [row["id"] for row in first[:SECOND_HOP_FROM]]
        second, passing_second = _ranked_neighbours(expand, filters, set(nodes), filters.limit - len(nodes))
        for row in second:
            nodes[row["id"]] = _node(row, 2)
        not_shown += passing_second - len(second)
    ids = sorted(nodes)
    edges = db.session.execute(
        text(
            """
            SELECT DISTINCT from_agency_id AS source, to_agency_id AS target FROM agency_sharing
            WHERE from_agency_id = ANY(CAST(:ids AS bigint[])) AND to_agency_id = ANY(CAST(:ids AS bigint[]))
              AND retired_on IS NULL
            ORDER BY 1, 2
            """
        ),
        {"ids": ids},
    )
    cameras = camera_counts_by_agency(ids)
    for node_id, node in nodes.items():
        node["cameras"] = cameras.get(node_id, 0)
    return {
        "centre": agency_id,
        "filters": {
            "direction": filters.direction,
            "kind": filters.kind,
            "state": filters.state,
            "federal_only": filters.federal_only,
            "hops": filters.hops,
            "limit": filters.limit,
        },
        "nodes": list(nodes.values()),
        "edges": [{"source": row.source, "target": row.target} for row in edges],
        "not_shown": not_shown,
    }
