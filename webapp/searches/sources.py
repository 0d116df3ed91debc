"""What every searches answer says about where its figures come from: each audit log file it draws on (the
records request or document: title, URL, the day it was received; the file's name, SHA-256 and the period
of its searches), whether a log is generated demo data, the rule version the reasons were classified under,
and what was never kept. Pages, JSON and CSV all take it from here; agency facts (states, kinds, sharing
lists, policies) add the agencies' own data sets (webapp.agencies.public.sources)."""

from sqlalchemy import bindparam, text

from webapp.agencies.public.sources import as_of, data_sets
from webapp.kernel.extensions import db

METHOD = (
    "Reasons are classified by Sightline's published, versioned rule set (docs/searches-method.md): one "
    "category per search, first match wins; HSI alone is ambiguous and not counted as immigration."
)
NOT_KEPT = (
    "Officer names, plates, case numbers, filters and text prompts in the logs were never stored; anything "
    "that looks personal in a reason is masked."
)
DEMO = "GENERATED DEMO DATA, not a real audit log."


def _day(value) -> str | None:
    return value.date().isoformat() if value else None


def log_files(log_ids: list[int]) -> list[dict]:
    if not log_ids:
        return []
    rows = db.session.execute(
        text(
            "SELECT f.id, f.log_id, f.title, f.url, f.received_on, f.file_name, f.sha256, f.rows_stored, "
            "f.first_search_at, f.last_search_at, l.kind, l.demo, l.rule_version, a.name AS owner "
            "FROM search_log_files AS f JOIN search_logs AS l ON l.id = f.log_id "
            "JOIN agencies AS a ON a.id = l.owner_agency_id "
            "WHERE f.log_id IN :logs ORDER BY f.log_id, f.first_search_at NULLS LAST, f.id"
        ).bindparams(bindparam("logs", expanding=True)),
        {"logs": list(log_ids)},
    ).mappings()
    return [
        {
            "id": row["id"],
            "log": row["log_id"],
            "owner": row["owner"],
            "kind": row["kind"],
            "demo": row["demo"],
            "rule_version": row["rule_version"],
            "title": row["title"],
            "url": row["url"],
            "received_on": row["received_on"].isoformat(),
            "file_name": row["file_name"],
            "sha256": row["sha256"],
            "searches_stored": row["rows_stored"],
            "period_from": _day(row["first_search_at"]),
            "period_to": _day(row["last_search_at"]),
        }
        for row in rows
    ]


def sources_statement(log_ids: list[int], with_agencies: bool = True) -> dict:
    files = log_files(log_ids)
    statement = {
        "as_of": as_of(),
        "logs": files,
        "demo": any(entry["demo"] for entry in files),
        "method": METHOD,
        "not_kept": NOT_KEPT,
    }
    if with_agencies:
        statement["agency_data_sets"] = data_sets()
    return statement


def _request_part(files: list[dict]) -> str:
    """One records request's files of one log: each file named when it is alone, else counted (the JSON
    statement and /api/v1/searches/logs list each file with its SHA-256)."""
    entry = files[0]
    if len(files) == 1:
        held = f"file {entry['file_name']}, sha256 {entry['sha256'][:12]}…"
    else:
        held = (
            f"{len(files)} files, {files[0]['file_name']} to {files[-1]['file_name']}, each with its "
            "sha256 in the JSON answer"
        )
    starts = [item["period_from"] for item in files if item["period_from"]]
    ends = [item["period_to"] for item in files if item["period_to"]]
    return (
        (f"{DEMO} " if entry["demo"] else "")
        + f"{entry['owner']} {entry['kind']} log: {entry['title']} ({entry['url'] or 'no URL'}; received "
        f"{entry['received_on']}; {held}; searches {min(starts, default='?')} to {max(ends, default='?')}; "
        f"rule version {entry['rule_version']})"
    )


def sources_line(statement: dict) -> str:
    """The statement in one cell (CSV rows repeat it, so a row copied out keeps its provenance): a log's
    files from one records request are one part, so the cell stays short however many files a log has."""
    requests: dict[tuple, list[dict]] = {}
    for entry in statement["logs"]:
        key = (entry["log"], entry["title"], entry["url"], entry["received_on"], entry["demo"])
        requests.setdefault(key, []).append(entry)
    parts = [_request_part(files) for files in requests.values()]
    parts += [
        f"{data_set['title']} ({data_set['publisher']}; {data_set['licence']})"
        for data_set in statement.get("agency_data_sets", [])
    ]
    parts += [statement["method"], statement["not_kept"]]
    return " | ".join(parts)
