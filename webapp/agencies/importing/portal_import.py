"""The import's bookkeeping of what each upsert wrote (`TableCounts`), and the portals' own rows: the figures
and policies an agency's transparency portal published, one row per agency, data set and day it was read."""

from dataclasses import dataclass

from sqlalchemy import text

from webapp.kernel.extensions import db


@dataclass
class TableCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def line(self, name: str) -> str:
        return f"{name}: {self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged"


def counts_of(returned_rows, total: int) -> TableCounts:
    """New, updated and unchanged rows of an upsert returning `(xmax = 0) AS created` per row written."""
    created = sum(1 for row in returned_rows if row.created)
    updated = len(returned_rows) - created
    return TableCounts(new=created, updated=updated, unchanged=total - created - updated)


FIGURE_COLUMNS = (
    "url",
    "portal_updated_at",
    "retention_text",
    "retention_days",
    "owned_cameras",
    "external_organizations_with_access",
    "hotlists",
    "vehicles_detected_30d",
    "hotlist_hits_30d",
    "searches_30d",
    "public_search_audit",
)
POLICY_COLUMNS = (
    "url",
    "portal_updated_at",
    "whats_detected",
    "whats_not_detected",
    "acceptable_use",
    "prohibited_uses",
    "access_policy",
    "hotlist_policy",
    "prohibits_immigration_enforcement",
)
_SQL_TYPES = {
    "portal_updated_at": "timestamptz",
    "retention_days": "integer",
    "owned_cameras": "integer",
    "external_organizations_with_access": "integer",
    "vehicles_detected_30d": "bigint",
    "hotlist_hits_30d": "bigint",
    "searches_30d": "bigint",
    "prohibits_immigration_enforcement": "boolean",
}


def upsert_portal_rows(table: str, columns: tuple[str, ...], records: list, source_id: int) -> TableCounts:
    """Portal figures or policies: one row per agency, data set and day it was read."""
    arrays = ", ".join(f"CAST(:{column} AS {_SQL_TYPES.get(column, 'text')}[])" for column in columns)
    listed = ", ".join(columns)
    result = db.session.execute(
        text(
            f"""
        INSERT INTO {table} (agency_id, data_source_id, accessed_on, {listed})
        SELECT a.id, :source_id, r.accessed_on, {", ".join(f"r.{column}" for column in columns)}
        FROM unnest(CAST(:agency_key AS text[]), CAST(:accessed_on AS date[]), {arrays})
             AS r(agency_key, accessed_on, {listed})
        JOIN agencies a ON a.source_id = :source_id AND a.source_key = r.agency_key
        ORDER BY a.id, r.accessed_on
        ON CONFLICT (agency_id, data_source_id, accessed_on) DO UPDATE SET
            {", ".join(f"{column} = EXCLUDED.{column}" for column in columns)}
        WHERE ({", ".join(f"{table}.{column}" for column in columns)})
              IS DISTINCT FROM ({", ".join(f"EXCLUDED.{column}" for column in columns)})
        RETURNING (xmax = 0) AS created
        """  # noqa: S608 (table and column names from this module's constants; values bound)
        ),
        {
            "source_id": source_id,
            "agency_key": [record.agency_key for record in records],
            "accessed_on": [record.accessed_on for record in records],
            **{column: [getattr(record, column) for record in records] for column in columns},
        },
    ).all()
    return counts_of(result, len(records))
