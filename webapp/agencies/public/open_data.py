"""Agencies and their sharing relations as open data: CSV and JSON files written with the camera exports
(an export set of webapp.opendata.export_files, in EXPORT_DIR/agencies, rewritten when agencies, aliases,
relations or data sets change), served as files like the camera exports.

Every row carries the licence and attribution of the source it came from: an imported row its data set's
(The News & Observer's files: MIT, credit "The News & Observer"), a moderator's relation Sightline's (ODbL)
with the document it cites."""

import io
import json
from collections.abc import Iterable, Iterator

from sqlalchemy import text

from webapp.agencies.public.sources import data_sets
from webapp.kernel.csv_cells import csv_writer
from webapp.kernel.extensions import db
from webapp.opendata.export_files import ExportFormat, ExportSet, register_export_set
from webapp.opendata.licence import LICENCE as SIGHTLINE_LICENCE
from webapp.opendata.licence import REPORT_ATTRIBUTION

BATCH_ROWS = 5000
MODERATOR_ATTRIBUTION = f"{REPORT_ATTRIBUTION} (recorded by a moderator; see the source)"

AGENCY_COLUMNS = ("id", "name", "kind", "state", "wikidata_id", "aliases", "data_set", "source_key")
RELATION_COLUMNS = (
    "id",
    "from_agency_id",
    "from_agency",
    "to_agency_id",
    "to_agency",
    "to_kind",
    "to_federal",
    "source",
    "seen_on",
    "recorded_by",
    "current",
    "retired_on",
    "retired_source",
    "data_set",
)
PROVENANCE_COLUMNS = ("licence", "attribution", "data_date")

AGENCIES_SQL = """
    SELECT a.id, a.name, a.kind, a.state, a.wikidata_id, a.source_key,
           coalesce((SELECT string_agg(alias, '; ' ORDER BY alias) FROM agency_aliases
                     WHERE agency_id = a.id), '')
           AS aliases,
           d.key AS data_set, d.licence, d.attribution
    FROM agencies AS a LEFT JOIN data_sources AS d ON d.id = a.source_id
    WHERE a.id > :after ORDER BY a.id LIMIT :rows
"""
RELATIONS_SQL = """
    SELECT s.id, s.from_agency_id, f.name AS from_agency, s.to_agency_id, t.name AS to_agency,
           t.kind AS to_kind, s.source, s.seen_on, s.recorded_by, s.retired_on, s.retired_source,
           d.key AS data_set, d.licence, d.attribution
    FROM agency_sharing AS s
    JOIN agencies AS f ON f.id = s.from_agency_id
    JOIN agencies AS t ON t.id = s.to_agency_id
    LEFT JOIN data_sources AS d ON d.id = s.data_source_id
    WHERE s.id > :after ORDER BY s.id LIMIT :rows
"""
FINGERPRINT = """
    SELECT (SELECT count(*) || ':' || coalesce(sum(version), 0) || ':' || coalesce(max(updated_at)::text, '')
            FROM agencies)
        || '/' || (SELECT count(*) || ':' || coalesce(sum(length(alias)), 0) FROM agency_aliases)
        || '/' || (SELECT count(*) || ':' || coalesce(sum(version), 0) || ':'
                          || coalesce(max(created_at)::text, '') FROM agency_sharing)
        || '/' || (SELECT count(*) || ':' || coalesce(max(imported_at)::text, '') FROM data_sources)
"""


def _batches(sql: str) -> Iterator[list[dict]]:
    after = 0
    while True:
        rows = [
            dict(row)
            for row in db.session.execute(text(sql), {"after": after, "rows": BATCH_ROWS}).mappings()
        ]
        if not rows:
            return
        yield rows
        after = rows[-1]["id"]


def all_agencies() -> Iterator[list[dict]]:
    return _batches(AGENCIES_SQL)


def all_relations() -> Iterator[list[dict]]:
    return _batches(RELATIONS_SQL)


def _provenance(row: dict) -> tuple[str, str]:
    if row.get("licence"):
        return row["licence"], row["attribution"]
    return SIGHTLINE_LICENCE, MODERATOR_ATTRIBUTION


def _agency_record(row: dict) -> dict:
    return {name: row[name] for name in AGENCY_COLUMNS}


def _relation_record(row: dict) -> dict:
    record = {name: row[name] for name in RELATION_COLUMNS if name in row}
    record["to_federal"] = row["to_kind"] == "federal"
    record["current"] = row["retired_on"] is None
    record["seen_on"] = row["seen_on"].isoformat()
    record["retired_on"] = row["retired_on"].isoformat() if row["retired_on"] else None
    return {name: record[name] for name in RELATION_COLUMNS}


def _csv_stream(columns: tuple, record) -> "callable":
    def stream(batches: Iterable[list[dict]], data_date: str) -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        writer.writerow((*columns, *PROVENANCE_COLUMNS))
        for batch in batches:
            for row in batch:
                values = record(row)
                cells = [
                    "true" if value is True else "false" if value is False else value
                    for value in values.values()
                ]
                writer.writerow(
                    [*("" if cell is None else cell for cell in cells), *_provenance(row), data_date]
                )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    return stream


def _json_stream(member: str, record) -> "callable":
    def stream(batches: Iterable[list[dict]], data_date: str) -> Iterator[str]:
        head = {
            "data_date": data_date,
            "sources": data_sets(),
            "moderator_rows": {"licence": SIGHTLINE_LICENCE, "attribution": MODERATOR_ATTRIBUTION},
        }
        text_head = json.dumps(head)
        yield text_head[:-1] + f', "{member}": ['
        first = True
        for batch in batches:
            parts = []
            for row in batch:
                licence, attribution = _provenance(row)
                parts.append(json.dumps({**record(row), "licence": licence, "attribution": attribution}))
            if parts:
                yield ("" if first else ",") + ",".join(parts)
                first = False
        yield "]}\n"

    return stream


AGENCY_EXPORTS = register_export_set(
    ExportSet(
        name="agencies",
        formats={
            "agencies-csv": ExportFormat(
                _csv_stream(AGENCY_COLUMNS, _agency_record),
                "text/csv",
                all_agencies,
                "sightline-agencies.csv",
            ),
            "agencies-json": ExportFormat(
                _json_stream("agencies", _agency_record),
                "application/json",
                all_agencies,
                "sightline-agencies.json",
            ),
            "relations-csv": ExportFormat(
                _csv_stream(RELATION_COLUMNS, _relation_record),
                "text/csv",
                all_relations,
                "sightline-agency-relations.csv",
            ),
            "relations-json": ExportFormat(
                _json_stream("relations", _relation_record),
                "application/json",
                all_relations,
                "sightline-agency-relations.json",
            ),
        },
        fingerprint=FINGERPRINT,
        file_prefix="sightline-agencies-",
        folder="agencies",
    )
)
