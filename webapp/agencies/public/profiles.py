"""One agency as the public reads it (its page and `GET /api/v1/agencies/<id>`): who it is, the cameras
mapped under it by vendor, its portal's own figures beside ours (the map's completeness for it), its
retention and stated prohibited uses, and who it shares with and receives from, each with source and date.
Also the search over agencies (names and aliases) and the pages of one agency's relations.

Every list is bounded: RELATIONS_SHOWN relations of each direction on the page, pages of RELATIONS_PAGE_ROWS
for the rest, SEARCH_PAGE_ROWS agencies per search page."""

from flask_babel import gettext as _
from sqlalchemy import and_, case, distinct, exists, func, literal, not_, or_, select, text

from webapp.agencies.moderation.agency_marks import shows_its_state
from webapp.agencies.public.camera_sets import camera_counts_by_agency, vendor_counts
from webapp.agencies.public.criteria import AgencyFilters, Direction
from webapp.camera_fields.vendors import vendor_name
from webapp.kernel.data.models.agency import Agency, AgencyAlias, AgencySharing, DataSource
from webapp.kernel.errors import NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AGENCY_KIND_LABELS, AgencyKind

RELATIONS_SHOWN = 50
RELATIONS_PAGE_ROWS = 200
SEARCH_PAGE_ROWS = 50


def agency_summary(row) -> dict:
    """The few fields every list shows of an agency (a search hit, a relation's other end, a receiver)."""
    return {
        "id": row["id"],
        "name": row["name"],
        "kind": row["kind"],
        "kind_label": str(AGENCY_KIND_LABELS.get(row["kind"], row["kind"])),
        "federal": row["kind"] == AgencyKind.FEDERAL,
        "state": row["state"],
        "state_in_name": shows_its_state(row["name"], row["state"]),
    }


def _agency_row(agency_id: int):
    row = (
        db.session.execute(
            text(
                "SELECT a.id, a.name, a.kind, a.state, a.wikidata_id, a.notes, a.source_key, "
                "d.title AS data_set, d.attribution AS data_set_attribution "
                "FROM agencies AS a LEFT JOIN data_sources AS d ON d.id = a.source_id WHERE a.id = :id"
            ),
            {"id": agency_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(_("There is no agency with this number."))
    return row


def _cited(row, prefix: str = "") -> dict:
    """The source of an imported row: its data set's title, publisher, licence and credit."""
    return {
        "data_set": row[f"{prefix}title"],
        "publisher": row[f"{prefix}publisher"],
        "licence": row[f"{prefix}licence"],
        "attribution": row[f"{prefix}attribution"],
    }


def _portal_rows(table: str, agency_id: int):
    """An agency's rows of a portal table (figures or policies) with their data set, newest first."""
    return db.session.execute(
        text(
            f"""
            SELECT r.*, d.title, d.publisher, d.licence, d.attribution
            FROM {table} AS r JOIN data_sources AS d ON d.id = r.data_source_id
            WHERE r.agency_id = :id ORDER BY r.accessed_on DESC, r.id DESC LIMIT 20
            """  # noqa: S608 (table and column names from this module's fixed pairs; values bound)
        ),
        {"id": agency_id},
    ).mappings()


PORTAL_FIGURES = (
    "url",
    "retention_text",
    "retention_days",
    "owned_cameras",
    "external_organizations_with_access",
    "hotlists",
    "vehicles_detected_30d",
    "hotlist_hits_30d",
    "searches_30d",
)
POLICY_FIELDS = ("url", "prohibited_uses", "acceptable_use", "prohibits_immigration_enforcement")


def _portal_entry(row, fields: tuple[str, ...]) -> dict:
    return {
        "accessed_on": row["accessed_on"].isoformat(),
        "portal_updated_at": row["portal_updated_at"].isoformat() if row["portal_updated_at"] else None,
        **{name: row[name] for name in fields},
        "source": _cited(row),
    }


def portal_figures(agency_id: int) -> list[dict]:
    """What the agency's portal published, newest first (each with its date and source)."""
    return [_portal_entry(row, PORTAL_FIGURES) for row in _portal_rows("agency_portal_figures", agency_id)]


def policies(agency_id: int) -> list[dict]:
    return [_portal_entry(row, POLICY_FIELDS) for row in _portal_rows("agency_policies", agency_id)]


def _relation_sql(direction: str) -> tuple[str, str]:
    """(this agency's column, the other end's column) of agency_sharing in a direction."""
    if direction == Direction.SHARES_WITH:
        return "from_agency_id", "to_agency_id"
    return "to_agency_id", "from_agency_id"


def relation_counts(agency_id: int, direction: str) -> dict:
    mine, other = _relation_sql(direction)
    sharing = AgencySharing.__table__
    current = sharing.c.retired_on.is_(None)
    row = db.session.execute(
        select(
            func.count(distinct(sharing.c[other])).filter(current).label("current"),
            func.count().filter(not_(current)).label("retired"),
        ).where(sharing.c[mine] == agency_id)
    ).one()
    return {"current": row.current, "retired": row.retired}


def relations(agency_id: int, direction: str, offset: int, rows: int) -> list[dict]:
    """The relations of one direction: current ones first (federal agencies first among them), then retired
    ones with their dates; each with its source, the date it was seen and who recorded it."""
    mine, other = _relation_sql(direction)
    s, a, d = AgencySharing.__table__.alias("s"), Agency.__table__.alias("a"), DataSource.__table__.alias("d")
    result = db.session.execute(
        select(
            s.c.id.label("relation_id"),
            s.c.source,
            s.c.seen_on,
            s.c.recorded_by,
            s.c.retired_on,
            s.c.retired_source,
            a.c.id,
            a.c.name,
            a.c.kind,
            a.c.state,
            d.c.title,
            d.c.publisher,
            d.c.licence,
            d.c.attribution,
        )
        .select_from(
            s.join(a, and_(a.c.id == s.c[other], not_(a.c.test_account))).outerjoin(
                d, d.c.id == s.c.data_source_id
            )
        )
        .where(s.c[mine] == agency_id)
        .order_by(
            s.c.retired_on.is_not(None),
            (a.c.kind == AgencyKind.FEDERAL).desc(),
            a.c.name,
            s.c.seen_on.desc(),
            s.c.id,
        )
        .offset(offset)
        .limit(rows)
    ).mappings()
    return [relation_entry(row) for row in result]


def relations_listing(agency_id: int, direction: str, page: int) -> dict:
    """One page of one direction of an agency's relations, with the counts (the relations page and API)."""
    agency = agency_exists(agency_id)
    offset = (page - 1) * RELATIONS_PAGE_ROWS
    return {
        "agency": agency,
        "direction": direction,
        "page": page,
        "page_rows": RELATIONS_PAGE_ROWS,
        **relation_counts(agency_id, direction),
        "relations": relations(agency_id, direction, offset, RELATIONS_PAGE_ROWS),
    }


def relation_entry(row) -> dict:
    return {
        "id": row["relation_id"],
        "agency": agency_summary(row),
        "source": row["source"],
        "seen_on": row["seen_on"].isoformat(),
        "recorded_by": row["recorded_by"],
        "data_set": _cited(row) if row["title"] else None,
        "current": row["retired_on"] is None,
        "retired_on": row["retired_on"].isoformat() if row["retired_on"] else None,
        "retired_source": row["retired_source"],
    }


def agency_profile(agency_id: int, shown: int = RELATIONS_SHOWN) -> dict:
    """Everything the page and the API say about one agency (NotFound for an unknown id)."""
    row = _agency_row(agency_id)
    aliases = list(
        db.session.scalars(
            text("SELECT alias FROM agency_aliases WHERE agency_id = :id ORDER BY alias LIMIT 50"),
            {"id": agency_id},
        )
    )
    mapped = camera_counts_by_agency([agency_id]).get(agency_id, 0)
    vendors = [{**entry, "name": vendor_name(entry["vendor"])} for entry in vendor_counts([agency_id])]
    figures = portal_figures(agency_id)
    claimed = next((entry for entry in figures if entry["owned_cameras"] is not None), None)
    completeness = None
    if claimed and claimed["owned_cameras"]:
        completeness = {
            "claimed_on_portal": claimed["owned_cameras"],
            "mapped_here": mapped,
            "share": round(mapped / claimed["owned_cameras"], 4),
            "portal_accessed_on": claimed["accessed_on"],
            "source": claimed["source"],
        }
    profile = {
        **agency_summary(row),
        "wikidata_id": row["wikidata_id"],
        "aliases": aliases,
        "data_set": row["data_set"],
        "cameras": {"mapped": mapped, "vendors": vendors},
        "completeness": completeness,
        "portal_figures": figures,
        "policies": policies(agency_id),
    }
    for direction in (Direction.SHARES_WITH, Direction.RECEIVES_FROM):
        counts = relation_counts(agency_id, direction)
        listed = relations(agency_id, direction, 0, shown)
        profile[direction] = {
            "count": counts["current"],
            "retired": counts["retired"],
            "relations": listed,
            "complete": counts["current"] + counts["retired"] <= len(listed),
        }
    return profile


def agency_names(agency_ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        text("SELECT id, name FROM agencies WHERE id = ANY(CAST(:ids AS bigint[]))"), {"ids": agency_ids}
    )
    return {row.id: row.name for row in rows}


def agency_exists(agency_id: int) -> dict:
    return agency_summary(_agency_row(agency_id))


def _escaped_like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower() + "%"


def _current_relations(agency, mine: str, other: str):
    """How many agencies (not test accounts) the agency has a current relation with, in one direction."""
    sharing, others = AgencySharing.__table__, Agency.__table__.alias("o")
    return (
        select(func.count(distinct(sharing.c[other])))
        .select_from(sharing.join(others, and_(others.c.id == sharing.c[other], not_(others.c.test_account))))
        .where(sharing.c[mine] == agency.c.id, sharing.c.retired_on.is_(None))
        .scalar_subquery()
    )


def search_agencies(filters: AgencyFilters, page: int, rows: int = SEARCH_PAGE_ROWS) -> dict:
    """Agencies whose name or an alias contains the text (case-insensitive), in a state, of a kind; exact
    and leading matches first, then by name. {"total", "page", "agencies": [...]} with each agency's
    mapped cameras and current relation counts."""
    # A portal's test account is in no list (webapp.agencies.moderation.agency_marks).
    a = Agency.__table__.alias("a")
    conditions = [not_(a.c.test_account)]
    rank = literal(0)
    if filters.query:
        like, name = _escaped_like(filters.query), func.lower(a.c.name)
        aliases = AgencyAlias.__table__
        conditions.append(
            or_(
                name.like(like),
                exists().where(aliases.c.agency_id == a.c.id, func.lower(aliases.c.alias).like(like)),
            )
        )
        rank = case((name == filters.query.lower(), 0), (name.like(like[1:]), 1), else_=2)
    if filters.state:
        conditions.append(a.c.state == filters.state)
    if filters.kind:
        conditions.append(a.c.kind == filters.kind)
    total = db.session.scalar(select(func.count()).select_from(a).where(*conditions))
    found = db.session.execute(
        select(
            a.c.id,
            a.c.name,
            a.c.kind,
            a.c.state,
            _current_relations(a, "from_agency_id", "to_agency_id").label("shares_with"),
            _current_relations(a, "to_agency_id", "from_agency_id").label("receives_from"),
        )
        .where(*conditions)
        .order_by(rank, a.c.name, a.c.id)
        .offset((page - 1) * rows)
        .limit(rows)
    ).mappings()
    agencies = [
        {**agency_summary(row), "shares_with": row["shares_with"], "receives_from": row["receives_from"]}
        for row in found
    ]
    cameras = camera_counts_by_agency([entry["id"] for entry in agencies])
    for entry in agencies:
        entry["cameras"] = cameras.get(entry["id"], 0)
    return {"total": total, "page": page, "page_rows": rows, "agencies": agencies}
