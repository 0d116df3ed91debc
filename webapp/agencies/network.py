"""The sharing graph around one agency, bounded so that it stays readable in a graph of 5,000 agencies and
37,000 relations: never the whole graph, only the centre's neighbours (one hop) and, for the best-ranked of
them, their neighbours (two hops), ranked by how many current relations each has, filtered by kind, state,
federal only and direction, with at most `limit` nodes in one answer. The browser asks again around a node
to expand it (webapp/static/js/agency-network.js).

Ranking reads the degree of every candidate in one grouped query over the relations index; edges are only
those among the nodes returned."""

from dataclasses import dataclass

from sqlalchemy import text

from webapp.agencies.camera_sets import camera_counts_by_agency
from webapp.agencies.filters import (
    Direction,
    parse_direction,
    parse_kind,
    parse_state_code,
)
from webapp.agencies.pages import agency_exists, agency_summary
from webapp.kernel.extensions import db
from webapp.kernel.query_args import whole_number

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


def _neighbour_sql(direction: str) -> str:
    """Every current neighbour of the agencies in :centres in that direction (as `neighbour`), with the
    direction of the relation as seen from the centre."""
    parts = []
    if direction in (Direction.SHARES_WITH, Direction.BOTH):
        parts.append(
            "SELECT from_agency_id AS centre, to_agency_id AS neighbour FROM agency_sharing "
            "WHERE from_agency_id = ANY(CAST(:centres AS bigint[])) AND retired_on IS NULL"
        )
    if direction in (Direction.RECEIVES_FROM, Direction.BOTH):
        parts.append(
            "SELECT to_agency_id AS centre, from_agency_id AS neighbour FROM agency_sharing "
            "WHERE to_agency_id = ANY(CAST(:centres AS bigint[])) AND retired_on IS NULL"
        )
    return " UNION ".join(parts)


def _ranked_neighbours(
    centres: list[int], filters: NetworkFilters, exclude: set[int], limit: int
) -> tuple[list, int]:
    """The best-ranked neighbours of `centres` passing the filters (not in `exclude`), and how many pass."""
    conditions = ["NOT (a.id = ANY(CAST(:exclude AS bigint[])))", "NOT a.test_account"]
    params = {"centres": centres, "exclude": sorted(exclude), "limit": limit}
    if filters.federal_only:
        conditions.append("a.kind = 'federal'")
    elif filters.kind:
        conditions.append("a.kind = :kind")
        params["kind"] = filters.kind
    if filters.state:
        conditions.append("a.state = :state")
        params["state"] = filters.state
    where = " AND ".join(conditions)
    rows = db.session.execute(
        text(
            f"""
            WITH near AS (SELECT DISTINCT neighbour FROM ({_neighbour_sql(filters.direction)}) AS n),
            passing AS (SELECT a.id, a.name, a.kind, a.state
                        FROM near JOIN agencies AS a ON a.id = near.neighbour WHERE {where}),
            degree AS (
                SELECT p.id,
                       (SELECT count(*) FROM agency_sharing
                        WHERE from_agency_id = p.id AND retired_on IS NULL)
                       AS shares_with,
                       (SELECT count(*) FROM agency_sharing WHERE to_agency_id = p.id AND retired_on IS NULL)
                       AS receives_from
                FROM passing AS p
            )
            SELECT p.*, d.shares_with, d.receives_from, count(*) OVER () AS passing
            FROM passing AS p JOIN degree AS d USING (id)
            ORDER BY d.shares_with + d.receives_from DESC, p.name, p.id LIMIT :limit
            """  # noqa: S608 (composed of this module's fixed fragments; every value is bound)
        ),
        params,
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


def parse_network_filters(args) -> NetworkFilters:
    return NetworkFilters(
        direction=parse_direction(args.get("direction")),
        kind=parse_kind(args.get("kind")),
        state=parse_state_code(args.get("state")),
        federal_only=args.get("federal") in ("1", "true", "on"),
        hops=whole_number(args.get("hops"), "hops", 1, 1, 2),
        limit=whole_number(args.get("limit"), "limit", NETWORK_DEFAULT_NODES, 2, NETWORK_MAX_NODES),
    )
