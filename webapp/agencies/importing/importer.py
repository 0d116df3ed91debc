"""`flask agencies import`: a published data set of agencies, sharing pairs, portal figures and policies into
the database, set-based and idempotent.

Each table is staged (parallel arrays, unnested) and upserted with `INSERT .. ON CONFLICT .. WHERE ..
IS DISTINCT FROM`, so a second run of the same files writes nothing. Rules kept on re-import:
- an agency is found again by the data set's own id; its kind and state (inferred from the name, and
  perhaps corrected by a moderator since) change only when the data set renamed it;
- a sharing pair is one current relation per data set; a newer scrape that shows it again moves its
  `seen_on` forward (the relation says when the data set last showed it); a pair the newer scrape no
  longer shows is left as it is and counted as "not seen again" (it was true on its date; retiring it is a
  moderator's decision, with a source); a pair a moderator retired is not brought back by the files that
  showed it before the retirement.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from webapp.agencies.importing.portal_import import (
    FIGURE_COLUMNS,
    POLICY_COLUMNS,
    TableCounts,
    counts_of,
    upsert_portal_rows,
)
from webapp.agencies.importing.source_files import AgencyFiles, files_vendor, portal_vendor, read_agency_files
from webapp.agencies.matching.names import parse
from webapp.kernel.data.models import DataSource
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AgencyKind, RecordedBy

NEWS_OBSERVER = {
    "key": "news-observer-private-eyes",
    "title": "Private Eyes: Flock Safety transparency portals and who they share with",
    "publisher": "The News & Observer",
    "url": "https://github.com/mcclatchy-southeast/private_eyes",
    "licence": "MIT",
    "attribution": "An analysis by The News & Observer",
}


@dataclass
class ImportSummary:
    source_key: str
    tables: dict[str, TableCounts] = field(default_factory=dict)
    # Current relations of this data set that these files do not show (left as they are).
    sharing_not_seen_again: int = 0
    # Pairs whose agency id is in no file (left out).
    sharing_unknown_agency: int = 0

    def lines(self) -> list[str]:
        lines = [counts.line(name) for name, counts in self.tables.items()]
        lines.append(
            f"sharing relations of {self.source_key} not in these files: {self.sharing_not_seen_again:,} "
            "(kept: each was true on its date)"
        )
        if self.sharing_unknown_agency:
            lines.append(f"sharing pairs naming an agency id no file lists: {self.sharing_unknown_agency:,}")
        return lines


def _execute(sql: str, **params):
    return db.session.execute(text(sql), params)


def _upsert_data_source(files: AgencyFiles, source: dict) -> tuple[DataSource, TableCounts]:
    """The data set's row: created once; its collection period widened by a newer scrape."""
    row = _execute(
        """
        INSERT INTO data_sources
            (key, title, publisher, url, licence, attribution, collected_from, collected_to)
        VALUES (:key, :title, :publisher, :url, :licence, :attribution, :collected_from, :collected_to)
        ON CONFLICT (key) DO UPDATE SET
            title = EXCLUDED.title, publisher = EXCLUDED.publisher, url = EXCLUDED.url,
            licence = EXCLUDED.licence, attribution = EXCLUDED.attribution,
            collected_from = LEAST(data_sources.collected_from, EXCLUDED.collected_from),
            collected_to = GREATEST(data_sources.collected_to, EXCLUDED.collected_to),
            imported_at = now()
        WHERE (data_sources.title, data_sources.publisher, data_sources.url, data_sources.licence,
               data_sources.attribution, data_sources.collected_from, data_sources.collected_to)
              IS DISTINCT FROM
              (EXCLUDED.title, EXCLUDED.publisher, EXCLUDED.url, EXCLUDED.licence, EXCLUDED.attribution,
               LEAST(data_sources.collected_from, EXCLUDED.collected_from),
               GREATEST(data_sources.collected_to, EXCLUDED.collected_to))
        RETURNING id, (xmax = 0) AS created
        """,
        collected_from=files.collected_from,
        collected_to=files.collected_to,
        **source,
    ).first()
    counts = TableCounts()
    if row is None:
        counts.unchanged = 1
        source_id = _execute("SELECT id FROM data_sources WHERE key = :key", key=source["key"]).scalar_one()
    else:
        source_id = row.id
        counts.new, counts.updated = (1, 0) if row.created else (0, 1)
    return db.session.get(DataSource, source_id), counts


def _agency_rows(files: AgencyFiles) -> list[tuple[str, str, str | None]]:
    """(key, name, notes) of every agency the files name: the agency file's, then those only a portal file
    names (a policy of an agency the agency file lacks)."""
    rows = {record.key: (record.key, record.name, record.notes) for record in files.agencies}
    for record in (*files.portal_figures, *files.policies):
        rows.setdefault(record.agency_key, (record.agency_key, record.agency_name, None))
    return list(rows.values())


def _upsert_agencies(source_id: int, rows: list[tuple[str, str, str | None]]) -> TableCounts:
    parsed = [parse(name) for _key, name, _notes in rows]
    _execute("DROP TABLE IF EXISTS pg_temp.agencies_incoming")
    _execute(
        """
        CREATE TEMPORARY TABLE agencies_incoming (
            source_key text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, state text, notes text
        ) ON COMMIT DROP
        """
    )
    _execute(
        """
        INSERT INTO agencies_incoming
        SELECT * FROM unnest(CAST(:keys AS text[]), CAST(:names AS text[]), CAST(:kinds AS text[]),
                             CAST(:states AS text[]), CAST(:notes AS text[]))
        """,
        keys=[key for key, _name, _notes in rows],
        names=[name[:200] for _key, name, _notes in rows],
        kinds=[(name.kind or AgencyKind.OTHER).value for name in parsed],
        states=[name.state for name in parsed],
        notes=[notes for _key, _name, notes in rows],
    )
    result = _execute(
        """
        INSERT INTO agencies (name, kind, state, notes, source_id, source_key)
        SELECT i.name, i.kind, i.state, i.notes, :source_id, i.source_key FROM agencies_incoming i
        ORDER BY i.source_key
        ON CONFLICT (source_id, source_key) DO UPDATE SET
            name = EXCLUDED.name,
            -- The inferred kind and state follow a new name; otherwise what is there stays (a moderator
            -- may have corrected it).
            kind = CASE WHEN agencies.name IS DISTINCT FROM EXCLUDED.name THEN EXCLUDED.kind
                        ELSE agencies.kind END,
            state = CASE WHEN agencies.name IS DISTINCT FROM EXCLUDED.name THEN EXCLUDED.state
                         ELSE agencies.state END,
            notes = EXCLUDED.notes,
            updated_at = now()
        WHERE (agencies.name, agencies.notes) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.notes)
        RETURNING (xmax = 0) AS created
        """,
        source_id=source_id,
    ).all()
    return counts_of(result, len(rows))


def _upsert_aliases(source_id: int, rows: list[tuple[str, str, str | None]]) -> TableCounts:
    """Each agency's name, normalised, is an alias the matcher and the search read; so is an acronym the
    name gives in parentheses ("Alabama Law Enforcement Agency (ALEA)")."""
    keys, normalized, aliases = [], [], []
    for key, name, _notes in rows:
        parsed = parse(name)
        for alias, alias_key in ((name, parsed.key), *((a, parse(a).key) for a in parsed.aliases)):
            if alias_key:
                keys.append(key)
                normalized.append(alias_key)
                aliases.append(alias[:200])
    result = _execute(
        """
        INSERT INTO agency_aliases (agency_id, normalized, alias)
        SELECT DISTINCT ON (a.id, r.normalized) a.id, r.normalized, r.alias
        FROM unnest(CAST(:keys AS text[]), CAST(:normalized AS text[]), CAST(:aliases AS text[]))
             AS r(source_key, normalized, alias)
        JOIN agencies a ON a.source_id = :source_id AND a.source_key = r.source_key
        ON CONFLICT (agency_id, normalized) DO NOTHING
        RETURNING true AS created
        """,
        source_id=source_id,
        keys=keys,
        normalized=normalized,
        aliases=aliases,
    ).all()
    distinct = len(set(zip(keys, normalized, strict=True)))
    return TableCounts(new=len(result), unchanged=distinct - len(result))


def _portal_urls(files: AgencyFiles) -> dict[str, str]:
    """The transparency portal of each source agency, where a portal file gives it: what a sharing pair
    cites (the portal lists the agencies it shares with)."""
    urls = {}
    for record in (*files.policies, *files.portal_figures):
        if record.url:
            urls[record.agency_key] = record.url
    return urls


def _upsert_sharing(source: DataSource, files: AgencyFiles, summary: ImportSummary) -> TableCounts:
    urls = _portal_urls(files)
    fallback = f"{source.url} ({files.sharing_file})" if source.url else files.sharing_file
    # A pair belongs to the network of the vendor whose portal showed it; with no portal address for its
    # source agency, to the vendor of every portal the files cite.
    every_portal = files_vendor(list(urls.values()))
    _execute("DROP TABLE IF EXISTS pg_temp.sharing_incoming")
    _execute(
        """
        CREATE TEMPORARY TABLE sharing_incoming (
            from_id bigint NOT NULL, to_id bigint NOT NULL, source text NOT NULL, seen_on date NOT NULL,
            vendor text, PRIMARY KEY (from_id, to_id)
        ) ON COMMIT DROP
        """
    )
    staged = _execute(
        """
        INSERT INTO sharing_incoming
        SELECT f.id, t.id, r.source, :seen_on, r.vendor
        FROM unnest(CAST(:from_keys AS text[]), CAST(:to_keys AS text[]), CAST(:sources AS text[]),
                    CAST(:vendors AS text[]))
             AS r(from_key, to_key, source, vendor)
        JOIN agencies f ON f.source_id = :source_id AND f.source_key = r.from_key
        JOIN agencies t ON t.source_id = :source_id AND t.source_key = r.to_key
        ON CONFLICT DO NOTHING
        """,
        source_id=source.id,
        seen_on=files.sharing_seen_on,
        from_keys=[pair[0] for pair in files.sharing],
        to_keys=[pair[1] for pair in files.sharing],
        sources=[urls.get(pair[0], fallback) for pair in files.sharing],
        vendors=[portal_vendor(urls.get(pair[0])) or every_portal for pair in files.sharing],
    ).rowcount
    summary.sharing_unknown_agency = len(files.sharing) - staged
    created = _execute(
        """
        INSERT INTO agency_sharing
            (from_agency_id, to_agency_id, data_source_id, source, seen_on, recorded_by, vendor)
        SELECT i.from_id, i.to_id, :source_id, i.source, i.seen_on, :recorded_by, i.vendor
        FROM sharing_incoming i
        -- A moderator's retirement stands against the files that showed the pair before it.
        WHERE NOT EXISTS (
            SELECT 1 FROM agency_sharing s
            WHERE s.from_agency_id = i.from_id AND s.to_agency_id = i.to_id AND s.data_source_id = :source_id
              AND (s.retired_on IS NULL OR s.retired_on >= i.seen_on))
        ORDER BY i.from_id, i.to_id
        """,
        source_id=source.id,
        recorded_by=RecordedBy.IMPORT.value,
    ).rowcount
    updated = _execute(
        """
        UPDATE agency_sharing s
        SET seen_on = greatest(s.seen_on, i.seen_on), source = i.source, vendor = i.vendor
        FROM sharing_incoming i
        WHERE s.from_agency_id = i.from_id AND s.to_agency_id = i.to_id AND s.data_source_id = :source_id
          AND s.retired_on IS NULL AND (s.seen_on < i.seen_on OR s.vendor IS DISTINCT FROM i.vendor)
        """,
        source_id=source.id,
    ).rowcount
    summary.sharing_not_seen_again = _execute(
        """
        SELECT count(*) FROM agency_sharing s
        WHERE s.data_source_id = :source_id AND s.retired_on IS NULL
          AND NOT EXISTS (SELECT 1 FROM sharing_incoming i
                          WHERE i.from_id = s.from_agency_id AND i.to_id = s.to_agency_id)
        """,
        source_id=source.id,
    ).scalar_one()
    return TableCounts(new=created, updated=updated, unchanged=staged - created - updated)


def import_agency_files(
    folder: Path, source: dict | None = None, progress: Callable[[str], None] | None = None
) -> ImportSummary:
    """Import a folder of agency files in the current transaction (the caller commits)."""
    say = progress or (lambda _message: None)
    source = source or NEWS_OBSERVER
    files = read_agency_files(folder)
    say(
        f"read {len(files.agencies):,} agencies, {len(files.sharing):,} sharing pairs, "
        f"{len(files.portal_figures):,} portal figures, {len(files.policies):,} policies"
    )
    summary = ImportSummary(source_key=source["key"])
    data_source, summary.tables["data sources"] = _upsert_data_source(files, source)
    rows = _agency_rows(files)
    summary.tables["agencies"] = _upsert_agencies(data_source.id, rows)
    summary.tables["aliases"] = _upsert_aliases(data_source.id, rows)
    say("agencies and aliases written; sharing relations next")
    summary.tables["sharing relations"] = _upsert_sharing(data_source, files, summary)
    summary.tables["portal figures"] = upsert_portal_rows(
        "agency_portal_figures", FIGURE_COLUMNS, files.portal_figures, data_source.id
    )
    summary.tables["policies"] = upsert_portal_rows(
        "agency_policies", POLICY_COLUMNS, files.policies, data_source.id
    )
    db.session.flush()
    return summary


def data_source_loaded(key: str = NEWS_OBSERVER["key"]) -> bool:
    return _execute("SELECT EXISTS (SELECT 1 FROM data_sources WHERE key = :key)", key=key).scalar_one()
