"""Importing an audit log file into a log, in one of two ways. A well-formed CSV is read as columns
(webapp.searches.fast_csv: pyarrow, the kept columns only) and, when the log holds no search in the file's
period, its searches are numbered with numpy and copied straight into `searches` (webapp.searches.copying).
Otherwise the rows (those columns, or webapp.searches.log_files' rows for XLSX and odd CSV) go through
PostgreSQL's COPY into a temporary staging table, and one statement drops the searches the log already holds
and stores the new ones. Either way the rollups are brought up to date, in one transaction per file: a file
is stored whole or not at all (an error anywhere, the caller rolls back; the CLI commits once per file, so an
interrupted run of many files resumes with the first file not yet committed, and the committed ones are
recognised and skipped by their SHA-256).

What touches the database carries nothing personal: LogRow has no personal cell, the reason is masked before
it is copied (once per distinct text), and the duplicate key is a hash of the non-personal cells only.

Recognising the same search again. A search is the same when it is in the same log, at the same second, with
the same non-personal cells (searching agency, searched window, networks, devices, masked reason, type,
moderation), and is the same one among the rows that share all that: the `occurrence`. Without a plate, two
automatic lookups by one agency in one second look alike, so the rows of a file that share a time and key
are numbered 1, 2, ... in file order, and a log holds as many of them as the file with the most of them. That
works across files and formats (an XLSX and a CSV of the same month, a portal's shorter file), and where the
file has search IDs they decide the numbering instead (ordered by ID, so the same IDs get the same numbers in
any file, in code-point order: COLLATE "C" here, Arrow's order in copying; a repeated ID is one search). A
file whose period overlaps another's adds only the searches it alone holds.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select, text

from webapp.kernel.data.audit import record_event
from webapp.kernel.data.models import Agency, SearchLog, SearchLogFile, User
from webapp.kernel.errors import InvalidInput, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AuditAction, Limits, SearchLogKind
from webapp.searches import classification
from webapp.searches.copying import copy_searches, numbered_ids, stage_columns
from webapp.searches.fast_csv import read_csv_columns
from webapp.searches.log_files import BadLogFile, LogReader
from webapp.searches.redaction import mask
from webapp.searches.searchers import clean_name, ensure_searchers

# A file with more refused rows than this share (or with no row stored at all) is refused whole.
MAX_REFUSED_SHARE = 0.05
PROGRESS_ROWS = 250_000
# Distinct raw reasons remembered while reading (the masked ones are all kept): bounds memory on files
# whose reasons hardly repeat.
RAW_REASON_CACHE = 200_000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LogSource:
    """Where a file came from: the records request or document, its URL, the day it was received."""

    title: str
    url: str | None
    received_on: date


@dataclass
class ImportSummary:
    file_name: str
    file_id: int | None = None
    rows_read: int = 0
    stored: int = 0
    known: int = 0
    refused: int = 0
    refusals: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    already_imported: bool = False

    def lines(self) -> list[str]:
        if self.already_imported:
            return [f"{self.file_name}: already imported (file {self.file_id}); nothing done"]
        rate = self.rows_read / self.seconds if self.seconds else 0
        lines = [
            f"{self.file_name}: file {self.file_id}, {self.rows_read:,} rows read, {self.stored:,} stored, "
            f"{self.known:,} already known, {self.refused:,} refused "
            f"({self.seconds:.1f} s, {rate:,.0f} rows/s)"
        ]
        lines += [f"  refused: {count:,} {reason}" for reason, count in sorted(self.refusals.items())]
        return lines


def find_owner(name_or_id: str) -> Agency:
    """The agency whose log it is, by id or by its exact name (case-insensitive) or alias."""
    value = name_or_id.strip()
    if value.isdigit():
        agency = db.session.get(Agency, int(value))
        if agency is None:
            raise NotFound(_("No agency has the id %(id)s.", id=value))
        return agency
    agencies = db.session.scalars(
        select(Agency).where(
            text(
                "lower(agencies.name) = lower(:name) OR agencies.id IN "
                "(SELECT agency_id FROM agency_aliases WHERE lower(alias) = lower(:name))"
            ).bindparams(name=value)
        )
    ).all()
    if not agencies:
        raise NotFound(_("No agency is named “%(name)s”: give its id or its exact name.", name=value[:200]))
    if len(agencies) > 1:
        raise InvalidInput(
            _(
                "%(count)s agencies are named “%(name)s” (ids %(ids)s): give the id.",
                count=len(agencies),
                name=value[:200],
                ids=", ".join(str(agency.id) for agency in agencies),
            )
        )
    return agencies[0]


def current_rule_version() -> int:
    """The rule version in force; the first import records this code's. Stored reasons classified under
    another version than this code's must be reclassified first (`flask searches reclassify`)."""
    stored = db.session.execute(text("SELECT max(version) FROM search_rule_versions")).scalar()
    if stored is None:
        db.session.execute(
            text("INSERT INTO search_rule_versions (version) VALUES (:v)"), {"v": classification.RULE_VERSION}
        )
        return classification.RULE_VERSION
    if stored != classification.RULE_VERSION:
        raise InvalidInput(
            _(
                "The stored searches are classified under rule version %(stored)s and this code's rules are "
                "version %(code)s: run `flask searches reclassify` first.",
                stored=stored,
                code=classification.RULE_VERSION,
            )
        )
    return stored


def log_of(owner: Agency, kind: SearchLogKind, demo: bool = False) -> SearchLog:
    """The owner's log of this kind, created if needed, locked until the transaction ends (two imports into
    one log wait for each other, so their duplicate checks see each other's rows)."""
    version = current_rule_version()
    db.session.execute(
        text(
            "INSERT INTO search_logs (owner_agency_id, kind, rule_version, demo) "
            "VALUES (:owner, :kind, :v, :demo) "
            "ON CONFLICT (owner_agency_id, kind) DO NOTHING"
        ),
        {"owner": owner.id, "kind": kind.value, "v": version, "demo": demo},
    )
    return db.session.scalars(
        select(SearchLog)
        .where(SearchLog.owner_agency_id == owner.id, SearchLog.kind == kind.value)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def reason_digest(masked: str) -> bytes:
    return hashlib.blake2b(masked.encode(), digest_size=16).digest()


_STAGING = """
DROP TABLE IF EXISTS pg_temp.search_staging, pg_temp.search_staging_reasons;
CREATE TEMPORARY TABLE search_staging (
    row_number integer, searched_at bigint, search_id text, searcher_local integer, reason_local integer,
    window_start_s integer, window_end_s integer, devices integer, networks smallint, type_local smallint,
    moderation smallint
) ON COMMIT DROP;
CREATE TEMPORARY TABLE search_staging_reasons (local_id integer, digest bytea, reason text) ON COMMIT DROP;
"""
_STAGING_TYPES = ("int4", "int8", "text", "int4", "int4", "int4", "int4", "int4", "int2", "int2", "int2")

# Every stored cell of a search but its file and row: what makes two rows the same search (with occurrence).
_SAME = (
    "searched_at, searcher_id, reason_id, coalesce(window_start_s, -1), coalesce(window_end_s, -1), "
    "coalesce(devices, -1), networks, search_type_id, moderation"
)

# Store the file's new searches and add them to both rollups, in one statement.
_STORE_ROWS = f"""
WITH reason_ids AS MATERIALIZED (
    SELECT sr.local_id, r.id FROM search_staging_reasons sr JOIN search_reasons r USING (digest)
),
mapped AS (
    SELECT st.row_number, to_timestamp(st.searched_at) AS searched_at, st.search_id, sm.id AS searcher_id,
           rm.id AS reason_id, st.window_start_s, st.window_end_s, st.devices, st.networks,
           tm.id AS search_type_id, st.moderation
    FROM search_staging st
    JOIN reason_ids rm ON rm.local_id = st.reason_local
    JOIN unnest(CAST(:searcher_locals AS integer[]), CAST(:searcher_ids AS integer[])) AS sm(local_id, id)
         ON sm.local_id = st.searcher_local
    JOIN unnest(CAST(:type_locals AS integer[]), CAST(:type_ids AS integer[])) AS tm(local_id, id)
         ON tm.local_id = st.type_local
),
staged AS (
    SELECT m.*,
           CASE WHEN m.search_id IS NULL
                THEN row_number() OVER (PARTITION BY {_SAME} ORDER BY m.row_number)
                ELSE dense_rank() OVER (PARTITION BY {_SAME} ORDER BY m.search_id COLLATE "C")
           END AS occurrence
    FROM mapped m
),
one_each AS (
    SELECT DISTINCT ON ({_SAME}, occurrence) * FROM staged ORDER BY {_SAME}, occurrence, row_number
),
existing AS MATERIALIZED (
    SELECT searched_at, searcher_id, reason_id, coalesce(window_start_s, -1) AS window_start_s,
           coalesce(window_end_s, -1) AS window_end_s, devices, networks,
           search_type_id, moderation, occurrence
    FROM searches
    WHERE log_id = :log_id AND searched_at BETWEEN to_timestamp(:first) AND to_timestamp(:last)
),
fresh AS (
    SELECT * FROM one_each o WHERE NOT EXISTS (
        SELECT 1 FROM existing e
        WHERE e.searched_at = o.searched_at AND e.searcher_id = o.searcher_id AND e.reason_id = o.reason_id
          AND e.window_start_s = coalesce(o.window_start_s, -1)
          AND e.window_end_s = coalesce(o.window_end_s, -1)
          AND e.devices = coalesce(o.devices, -1) AND e.networks = o.networks
          AND e.search_type_id = o.search_type_id AND e.moderation = o.moderation
          AND e.occurrence = o.occurrence
    )
),
stored AS (
    INSERT INTO searches (searched_at, log_id, file_id, row_number, searcher_id, reason_id, window_start_s,
                          window_end_s, devices, networks, occurrence, search_type_id, moderation)
    SELECT searched_at, :log_id, :file_id, row_number, searcher_id, reason_id, window_start_s, window_end_s,
           coalesce(devices, -1), networks, occurrence, search_type_id, moderation
    FROM fresh ORDER BY searched_at, row_number
    RETURNING searched_at, searcher_id, reason_id, search_type_id, networks
),
"""  # noqa: S608 - fixed column lists of this module

# Add the searches a statement stored (the CTE `stored`) to both rollups; the number stored. Reasons are
# counted per month, searcher and type only on the way (by_reason): classified, they become the categories'
# counts, added as new rows (search_counts has no unique key: its readers sum); a new rule version reads the
# searches again (webapp.searches.reclassification).
_ROLLUPS = """
by_reason AS MATERIALIZED (
    SELECT date_trunc('month', searched_at AT TIME ZONE 'UTC')::date AS month, searcher_id, reason_id,
           search_type_id, count(*) AS searches, count(*) FILTER (WHERE networks > 1) AS multi_network
    FROM stored GROUP BY 1, 2, 3, 4
),
searcher_months AS (
    INSERT INTO search_searcher_months AS c (log_id, month, searcher_id, searches, immigration, multi_network)
    SELECT :log_id, b.month, b.searcher_id, sum(b.searches),
           coalesce(sum(b.searches) FILTER (WHERE k.immigration), 0), sum(b.multi_network)
    FROM by_reason b JOIN search_reason_classes k ON k.reason_id = b.reason_id AND k.rule_version = :version
    GROUP BY 2, 3
    ON CONFLICT (log_id, month, searcher_id) DO UPDATE
        SET searches = c.searches + EXCLUDED.searches, immigration = c.immigration + EXCLUDED.immigration,
            multi_network = c.multi_network + EXCLUDED.multi_network
),
category_counts AS (
    INSERT INTO search_counts
        (log_id, month, searcher_id, category, search_type_id, searches, multi_network)
    SELECT :log_id, b.month, b.searcher_id, k.category, b.search_type_id, sum(b.searches),
           sum(b.multi_network)
    FROM by_reason b JOIN search_reason_classes k ON k.reason_id = b.reason_id AND k.rule_version = :version
    GROUP BY 2, 3, 4, 5
)
SELECT coalesce(sum(searches), 0) AS stored FROM by_reason
"""
# The rollups of a file's searches copied straight into `searches` (no earlier search in its period).
_FILE_STORED = """
WITH stored AS (
    SELECT searched_at, searcher_id, reason_id, search_type_id, networks FROM searches
    WHERE log_id = :log_id AND file_id = :file_id
      AND searched_at BETWEEN to_timestamp(:first) AND to_timestamp(:last)
),
"""
_LOG_STORED = """
WITH stored AS (
    SELECT searched_at, searcher_id, reason_id, search_type_id, networks FROM searches WHERE log_id = :log_id
),
"""
# Each write statement is this module's fixed texts end to end (no value of a file or a request is in
# them): the CTE `stored` of its path, then the rollups both paths share.
_STORE = _STORE_ROWS + _ROLLUPS
_FILE_ROLLUPS = _FILE_STORED + _ROLLUPS
# Every search of one log into its emptied rollups (webapp.searches.reclassification, a new rule version).
LOG_ROLLUPS = _LOG_STORED + _ROLLUPS


class _Reader:
    """Turns LogRows into staging rows, numbering searchers, reasons and types locally as they come."""

    def __init__(self, default_org: str):
        self.default_org = default_org
        self.searchers: dict[str, int] = {}
        self.types: dict[str, int] = {}
        self.raw_reasons: dict[str, int] = {}
        self.masked: dict[bytes, int] = {}
        self.reasons: list[tuple[int, bytes, str]] = []
        self.first: int | None = None
        self.last: int | None = None

    def reason_local(self, raw: str) -> int:
        local = self.raw_reasons.get(raw)
        if local is not None:
            return local
        masked = mask(raw.strip())[: Limits.SEARCH_REASON_CHARS]
        digest = reason_digest(masked)
        local = self.masked.get(digest)
        if local is None:
            local = self.masked[digest] = len(self.reasons)
            self.reasons.append((local, digest, masked))
        if len(self.raw_reasons) >= RAW_REASON_CACHE:
            self.raw_reasons.clear()
        self.raw_reasons[raw] = local
        return local

    def searcher_local(self, org: str) -> int:
        org = org or self.default_org
        searcher = self.searchers.get(org)
        if searcher is None:
            searcher = self.searchers[org] = len(self.searchers)
        return searcher

    def type_local(self, name: str) -> int:
        search_type = self.types.get(name)
        if search_type is None:
            search_type = self.types[name] = len(self.types)
        return search_type

    def staging_row(self, row) -> tuple:
        searcher = self.searcher_local(row.org_name)
        search_type = self.type_local(row.search_type)
        reason = self.reason_local(row.reason)
        at = row.searched_at
        if self.first is None or at < self.first:
            self.first = at
        if self.last is None or at > self.last:
            self.last = at
        start = row.window_start - at if row.window_start is not None else None
        end = row.window_end - at if row.window_end is not None else None
        return (
            row.row_number, at, row.search_id, searcher, reason, start, end, row.devices, row.networks,
            search_type, row.moderation,
        )  # fmt: skip


def import_log_file(
    path: Path,
    *,
    owner: Agency,
    kind: SearchLogKind,
    source: LogSource,
    demo: bool = False,
    progress: Progress | None = None,
    imported_by: User | None = None,
    file_name: str | None = None,
) -> ImportSummary:
    """Import one file into the owner's log of this kind (the caller commits, or rolls back on an error).
    The import is an audit event of `imported_by` (None: the command line). `file_name`: the name the file
    was received under, when `path` is an upload's stored copy."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    name = (file_name or path.name)[:300]
    summary = ImportSummary(file_name=name)
    # A network log names each searching agency; in an organisation log every search is the owner's own.
    reader = LogReader(path, needs_org_name=kind == SearchLogKind.NETWORK)
    sha256 = sha256_of(path)
    log = log_of(owner, kind, demo)
    earlier = db.session.scalars(
        select(SearchLogFile).where(SearchLogFile.log_id == log.id, SearchLogFile.sha256 == sha256)
    ).first()
    if earlier is not None:
        summary.file_id, summary.already_imported = earlier.id, True
        return summary
    title = source.title.strip()
    if not 1 <= len(title) <= Limits.SEARCH_LOG_TITLE_CHARS:
        raise InvalidInput(
            _("Give the log a title (at most %(n)s characters).", n=Limits.SEARCH_LOG_TITLE_CHARS)
        )
    log_file = SearchLogFile(
        log_id=log.id,
        title=title,
        url=source.url,
        received_on=source.received_on,
        file_name=name,
        file_format=reader.format,
        sha256=sha256,
        file_bytes=path.stat().st_size,
        rows_read=0,
        rows_stored=0,
        rows_known=0,
        rows_refused=0,
    )
    db.session.add(log_file)
    db.session.flush()
    summary.file_id = log_file.id

    connection = db.session.connection().connection.driver_connection
    staging = _Reader(owner.name if kind == SearchLogKind.ORG else "")
    columns = None
    if reader.format == "csv":
        columns = read_csv_columns(
            path,
            reader.read_layout(),
            org_code=staging.searcher_local,
            reason_code=staging.reason_local,
            type_code=staging.type_local,
        )
    with connection.cursor() as cursor:
        cursor.execute(_STAGING)
        if columns is None:
            _stage_rows(cursor, reader, staging, name, say)
        else:
            say(f"{name}: {columns.rows_read:,} rows read")
            reader.rows_read, reader.refusals = columns.rows_read, columns.refusals
            if len(columns.searched_at):
                staging.first, staging.last = int(columns.searched_at.min()), int(columns.searched_at.max())
        _refuse_if_mostly_refused(reader)
        with cursor.copy("COPY search_staging_reasons FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int4", "bytea", "text"])
            for reason in staging.reasons:
                copy.write_row(reason)
    say(f"{name}: {reader.rows_read:,} rows read; storing")
    _store_reasons()
    searcher_ids = ensure_searchers(staging.searchers)
    type_ids = _search_type_ids(list(staging.types))
    stored = 0
    ids = {
        "log_id": log.id,
        "file_id": log_file.id,
        "version": log.rule_version,
        "first": staging.first,
        "last": staging.last,
    }
    searchers = [searcher_ids[clean_name(org)] for org in staging.searchers]
    types = [type_ids[name] for name in staging.types]
    id_rank = numbered_ids(columns) if columns is not None else None
    if staging.first is not None and id_rank is not None and not _log_holds_searches_between(ids):
        say(f"{name}: copying the searches")
        reasons = _reason_ids(len(staging.reasons))
        if copy_searches(connection, columns, ids, id_rank, reasons, searchers, types):
            stored = int(db.session.execute(text(_FILE_ROLLUPS), ids).one().stored)
    elif staging.first is not None:
        if columns is not None:
            stage_columns(connection, columns)
        result = db.session.execute(
            text(_STORE),
            {
                **ids,
                "searcher_locals": list(staging.searchers.values()),
                "searcher_ids": searchers,
                "type_locals": list(staging.types.values()),
                "type_ids": types,
            },
        ).one()
        stored = int(result.stored)
    refused = reader.refusals.total
    summary.rows_read, summary.stored, summary.refused = reader.rows_read, stored, refused
    summary.known = reader.rows_read - stored - refused
    summary.refusals = dict(reader.refusals.counts)
    log_file.rows_read, log_file.rows_stored = summary.rows_read, stored
    log_file.rows_known, log_file.rows_refused, log_file.refusals = summary.known, refused, summary.refusals
    if staging.first is not None:
        log_file.first_search_at = datetime.fromtimestamp(staging.first, UTC)
        log_file.last_search_at = datetime.fromtimestamp(staging.last, UTC)
    db.session.execute(
        text(
            """
            UPDATE search_logs SET searches = searches + :stored,
                first_search_at = least(first_search_at, to_timestamp(:first)),
                last_search_at = greatest(last_search_at, to_timestamp(:last))
            WHERE id = :log_id
            """
        ),
        {"stored": stored, "first": staging.first, "last": staging.last, "log_id": log.id},
    )
    record_event(
        imported_by,
        AuditAction.IMPORT_SEARCH_LOG,
        "search_log_file",
        log_file.id,
        to_status=kind.value,
        reason=f"{name[:200]}: {summary.stored:,} searches stored, {summary.known:,} known, "
        f"{summary.refused:,} refused, into the log of agency {owner.id}",
    )
    db.session.flush()
    summary.seconds = time.perf_counter() - started
    return summary


def _stage_rows(cursor, reader: LogReader, staging: _Reader, name: str, say: Progress) -> None:
    """The row-by-row reader's rows into the staging table."""
    with cursor.copy("COPY search_staging FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(_STAGING_TYPES)
        for row in reader:
            copy.write_row(staging.staging_row(row))
            if reader.rows_read % PROGRESS_ROWS == 0:
                say(f"{name}: {reader.rows_read:,} rows read")


def _log_holds_searches_between(ids: dict) -> bool:
    """Whether the log holds a search in the file's period (read through the BRIN index)."""
    return db.session.execute(
        text(
            "SELECT EXISTS (SELECT 1 FROM searches WHERE log_id = :log_id "
            "AND searched_at BETWEEN to_timestamp(:first) AND to_timestamp(:last))"
        ),
        ids,
    ).scalar_one()


def _reason_ids(count: int) -> list[int]:
    """The stored id of each of the file's reasons, by local id."""
    found = dict(
        db.session.execute(
            text(
                "SELECT sr.local_id, r.id FROM search_staging_reasons AS sr "
                "JOIN search_reasons AS r USING (digest)"
            )
        ).all()
    )
    return [found[local] for local in range(count)]


def _refuse_if_mostly_refused(reader: LogReader) -> None:
    refusals = reader.refusals
    if reader.rows_read == 0:
        raise BadLogFile(_("The file holds no searches: it has a header and no rows."))
    if refusals.total == reader.rows_read or refusals.total > MAX_REFUSED_SHARE * reader.rows_read:
        details = "; ".join(
            _(
                "%(reason)s: %(count)s rows (rows %(rows)s, ...)",
                reason=reason,
                count=f"{count:,}",
                rows=", ".join(f"{row:,}" for row in refusals.examples[reason]),
            )
            for reason, count in sorted(refusals.counts.items(), key=lambda item: -item[1])
        )
        raise BadLogFile(
            _(
                "%(refused)s of %(read)s rows cannot be read, more than %(share)s%%; nothing was imported. "
                "%(details)s",
                refused=f"{refusals.total:,}",
                read=f"{reader.rows_read:,}",
                share=int(MAX_REFUSED_SHARE * 100),
                details=details,
            )
        )


def _store_reasons() -> None:
    """Add the file's new reasons and classify them under the version in force."""
    new = db.session.execute(
        text(
            """
            INSERT INTO search_reasons (digest, reason)
            SELECT digest, reason FROM search_staging_reasons ON CONFLICT (digest) DO NOTHING
            RETURNING id, reason
            """
        )
    ).all()
    version = db.session.execute(text("SELECT max(version) FROM search_rule_versions")).scalar()
    write_classes(version, [(row.id, row.reason) for row in new])


def write_classes(version: int, reasons: list[tuple[int, str]]) -> int:
    """Classify reasons under `version` (webapp.searches.classification) and store what it says of each."""
    if not reasons:
        return 0
    classes = [classification.classify(reason) for _id, reason in reasons]
    db.session.execute(
        text(
            """
            INSERT INTO search_reason_classes (rule_version, reason_id, category, immigration, tags)
            SELECT :version, r.id, r.category, r.immigration,
                   CASE WHEN r.tags = '' THEN '{}'::text[] ELSE string_to_array(r.tags, ',') END
            FROM unnest(CAST(:ids AS integer[]), CAST(:categories AS text[]), CAST(:immigration AS boolean[]),
                        CAST(:tags AS text[])) AS r(id, category, immigration, tags)
            ON CONFLICT (rule_version, reason_id) DO UPDATE
                SET category = EXCLUDED.category, immigration = EXCLUDED.immigration, tags = EXCLUDED.tags
            """
        ),
        {
            "version": version,
            "ids": [reason_id for reason_id, _reason in reasons],
            "categories": [item.category for item in classes],
            "immigration": [item.immigration for item in classes],
            "tags": [",".join(item.tags) for item in classes],
        },
    )
    return len(reasons)


def _search_type_ids(names: list[str]) -> dict[str, int]:
    db.session.execute(
        text(
            "INSERT INTO search_types (name) SELECT DISTINCT unnest(CAST(:names AS text[])) "
            "ON CONFLICT (name) DO NOTHING"
        ),
        {"names": names},
    )
    return dict(
        db.session.execute(
            text("SELECT name, id FROM search_types WHERE name = ANY(:names)"), {"names": names}
        ).all()
    )
