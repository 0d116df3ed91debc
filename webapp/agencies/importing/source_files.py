"""Reading a folder of published agency files (The News & Observer's "Private Eyes" data, or a newer scrape
with the same columns) into plain records: agencies, sharing pairs, portal figures and policies, each with
the date the data set saw it. Nothing here touches the database.

Files are found by name: `agency*.csv` (id, name, notes), `agency_access*.csv` (src_agency_id,
external_agency_id, ...), `agency_policies*.csv` and `latest_usage*.csv` (one row per portal, with
`accessed`), each as is or gzipped (`.csv.gz`, as data/ ships the larger ones).
Where a folder holds several scrapes of one kind, the newest by the date in its name is read.
"""

import gzip
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from webapp.kernel.csv_cells import csv_dict_reader


class BadAgencyFiles(ValueError):
    """A file is missing, or lacks a column the import needs (the message names it)."""


AGENCY_COLUMNS = ("id", "name")
ACCESS_COLUMNS = ("src_agency_id", "external_agency_id")
PORTAL_COLUMNS = ("id", "agency", "accessed", "url")
USAGE_COLUMNS = (
    *PORTAL_COLUMNS,
    "data_retention_in_days",
    "number_of_owned_cameras",
    "external_organizations_with_access",
    "hotlists_alerted_on",
    "vehicles_detected_in_the_last_30_days",
    "hotlist_hits_in_the_last_30_days",
    "searches_in_the_last_30_days",
)
POLICY_COLUMNS = (*PORTAL_COLUMNS, "prohibited_uses")

# What a published cell says when it says nothing.
_EMPTY = {"", "na", "n/a", "none", "null", "data unavailable", "unknown", "-infinity days", "infinity days"}
_RETENTION_UNITS = {
    "day": 1,
    "days": 1,
    "week": 7,
    "weeks": 7,
    "month": 30,
    "months": 30,
    "year": 365,
    "years": 365,
}
# "Immigration enforcement", "civil immigration enforcement", "enforcing federal immigration law",
# "activities that are considered immigration enforcement", "immigration-related enforcement".
_IMMIGRATION = re.compile(
    r"\bimmigration[\s-]+(related\s+)?(law\s+)?enforcement\b|\benforc\w*\s+(of\s+)?(federal\s+|civil\s+)?"
    r"immigration\b|\bimmigration\s+(status|purposes|violations?)\b",
    re.IGNORECASE,
)


# The vendors whose transparency portals the files cite: a sharing pair read from a vendor's portal belongs
# to that vendor's network (only its cameras feed the receiver). The News & Observer's files come from
# Flock Safety's portals (transparency.flocksafety.com).
PORTAL_VENDORS = {"flocksafety.com": "flock-safety"}


def portal_vendor(url: str | None) -> str | None:
    """The vendor whose portal this address is, or None."""
    host = urlsplit(url or "").hostname or ""
    return next((vendor for domain, vendor in PORTAL_VENDORS.items() if host.endswith(domain)), None)


def files_vendor(urls: list[str]) -> str | None:
    """The one vendor of every portal a data set cites (None when they differ or none is known)."""
    vendors = {portal_vendor(url) for url in urls}
    return vendors.pop() if len(vendors) == 1 else None


@dataclass(frozen=True)
class AgencyRecord:
    key: str  # the data set's own id
    name: str
    notes: str | None


@dataclass(frozen=True)
class PortalFigures:
    agency_key: str
    agency_name: str
    url: str | None
    portal_updated_at: datetime | None
    accessed_on: date
    retention_text: str | None
    retention_days: int | None
    owned_cameras: int | None
    external_organizations_with_access: int | None
    hotlists: str | None
    vehicles_detected_30d: int | None
    hotlist_hits_30d: int | None
    searches_30d: int | None
    public_search_audit: str | None


@dataclass(frozen=True)
class PolicyRecord:
    agency_key: str
    agency_name: str
    url: str | None
    portal_updated_at: datetime | None
    accessed_on: date
    whats_detected: str | None
    whats_not_detected: str | None
    acceptable_use: str | None
    prohibited_uses: str | None
    access_policy: str | None
    hotlist_policy: str | None
    prohibits_immigration_enforcement: bool


@dataclass(frozen=True)
class AgencyFiles:
    """Everything a folder says, with the dates it was seen."""

    agencies: list[AgencyRecord]
    sharing: list[tuple[str, str]]  # (from key, to key), deduplicated, in file order
    sharing_seen_on: date
    sharing_file: str
    portal_figures: list[PortalFigures]
    policies: list[PolicyRecord]
    collected_from: date
    collected_to: date


def date_in_name(path: Path) -> date | None:
    """The date a file name carries: 20240426 (year first) or 04262023 (month first)."""
    match = re.search(r"(\d{8})", path.stem)
    if not match:
        return None
    digits = match.group(1)
    for pattern in ("%Y%m%d", "%m%d%Y"):
        try:
            return datetime.strptime(digits, pattern).date()
        except ValueError:
            continue
    return None


def _newest(folder: Path, pattern: str, exclude: tuple[str, ...] = ()) -> Path | None:
    found = [*folder.glob(pattern), *folder.glob(f"{pattern}.gz")]
    files = [path for path in found if not path.name.startswith(exclude)]
    if not files:
        return None
    return max(files, key=lambda path: (date_in_name(path) or date.min, path.name))


def _required(folder: Path, pattern: str, exclude: tuple[str, ...] = ()) -> Path:
    path = _newest(folder, pattern, exclude)
    if path is None:
        raise BadAgencyFiles(f"{folder}: no file named {pattern} (the import needs one)")
    return path


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8-sig") as handle:
        reader = csv_dict_reader(handle)
        present = set(reader.fieldnames or ())
        missing = [column for column in columns if column not in present]
        if missing:
            raise BadAgencyFiles(f"{path.name}: missing column {', '.join(missing)}")
        return list(reader)


def text_or_none(value: str | None) -> str | None:
    """A published cell as text, or None for "NA", "Data Unavailable" and empty cells."""
    if value is None:
        return None
    value = value.strip()
    return None if value.lower() in _EMPTY else value


def number_in(value: str | None) -> int | None:
    """The number a cell states ("1,234" -> 1234); None when it states none."""
    value = text_or_none(value)
    if value is None:
        return None
    match = re.fullmatch(r"\s*([0-9][0-9,]*)(\.0+)?\s*", value)
    return int(match.group(1).replace(",", "")) if match else None


def retention_days_in(value: str | None) -> int | None:
    """Days of retention a cell states ("30 days" -> 30, "1 year" -> 365); None for "NA", "-Infinity days"."""
    value = text_or_none(value)
    if value is None:
        return None
    match = re.fullmatch(r"([0-9][0-9,]*)\s*([a-z]+)?", value.lower())
    if not match:
        return None
    unit = _RETENTION_UNITS.get(match.group(2) or "days")
    return int(match.group(1).replace(",", "")) * unit if unit else None


def organisations_in(value: str | None) -> int | None:
    """The count of outside organisations with access: a number, or the published list of their names."""
    number = number_in(value)
    if number is not None or text_or_none(value) is None:
        return number
    return len([name for name in value.split(",") if name.strip()])


def prohibits_immigration_enforcement(prohibited_uses: str | None) -> bool:
    return bool(prohibited_uses and _IMMIGRATION.search(prohibited_uses))


def _timestamp(value: str | None) -> datetime | None:
    value = text_or_none(value)
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _accessed_on(row: dict[str, str], fallback: date) -> date:
    """The day the portal was read; a row without it was read by the scrape of its file's date."""
    accessed = _timestamp(row.get("accessed"))
    return accessed.date() if accessed else fallback


def _usage(row: dict[str, str], fallback: date) -> PortalFigures:
    return PortalFigures(
        agency_key=row["id"].strip(),
        agency_name=row["agency"].strip(),
        url=text_or_none(row["url"]),
        portal_updated_at=_timestamp(row.get("updated")),
        accessed_on=_accessed_on(row, fallback),
        retention_text=text_or_none(row["data_retention_in_days"]) or None,
        retention_days=retention_days_in(row["data_retention_in_days"]),
        owned_cameras=number_in(row["number_of_owned_cameras"]),
        external_organizations_with_access=organisations_in(row["external_organizations_with_access"]),
        hotlists=text_or_none(row["hotlists_alerted_on"]),
        vehicles_detected_30d=number_in(row["vehicles_detected_in_the_last_30_days"]),
        hotlist_hits_30d=number_in(row["hotlist_hits_in_the_last_30_days"]),
        searches_30d=number_in(row["searches_in_the_last_30_days"]),
        public_search_audit=text_or_none(row.get("public_search_audit")),
    )


def _policy(row: dict[str, str], fallback: date) -> PolicyRecord:
    prohibited = text_or_none(row["prohibited_uses"])
    return PolicyRecord(
        agency_key=row["id"].strip(),
        agency_name=row["agency"].strip(),
        url=text_or_none(row["url"]),
        portal_updated_at=_timestamp(row.get("updated")),
        accessed_on=_accessed_on(row, fallback),
        whats_detected=text_or_none(row.get("whats_detected")),
        whats_not_detected=text_or_none(row.get("whats_not_detected")),
        acceptable_use=text_or_none(row.get("acceptable_use_policy")),
        prohibited_uses=prohibited,
        access_policy=text_or_none(row.get("access_policy")),
        hotlist_policy=text_or_none(row.get("hotlist_policy")),
        prohibits_immigration_enforcement=prohibits_immigration_enforcement(prohibited),
    )


def _last_per_key(records: list, key) -> list:
    """One record per key (the last one a file gives): a portal is read once a day."""
    return list({key(record): record for record in records}.values())


def read_agency_files(folder: Path) -> AgencyFiles:
    """Read a folder of agency files; BadAgencyFiles names the missing file or column."""
    if not folder.is_dir():
        raise BadAgencyFiles(f"{folder}: not a folder of agency files")
    agency_path = _required(folder, "agency*.csv", exclude=("agency_access", "agency_policies"))
    access_path = _required(folder, "agency_access*.csv")
    agencies_on = date_in_name(agency_path)
    sharing_on = date_in_name(access_path) or agencies_on
    if sharing_on is None:
        raise BadAgencyFiles(f"{access_path.name}: no date in the file name (e.g. agency_access20240426.csv)")

    agencies = [
        AgencyRecord(row["id"].strip(), " ".join(row["name"].split()), text_or_none(row.get("notes")))
        for row in _rows(agency_path, AGENCY_COLUMNS)
        if row["id"].strip() and row["name"].strip()
    ]
    pairs = [
        (row["src_agency_id"].strip(), row["external_agency_id"].strip())
        for row in _rows(access_path, ACCESS_COLUMNS)
    ]
    sharing = list(dict.fromkeys(pair for pair in pairs if pair[0] and pair[1] and pair[0] != pair[1]))

    figures: list[PortalFigures] = []
    usage_path = _newest(folder, "latest_usage*.csv")
    if usage_path is not None:
        figures = [_usage(row, sharing_on) for row in _rows(usage_path, USAGE_COLUMNS) if row["id"].strip()]
    policies: list[PolicyRecord] = []
    policy_path = _newest(folder, "agency_policies*.csv")
    if policy_path is not None:
        fallback = date_in_name(policy_path) or sharing_on
        policies = [_policy(row, fallback) for row in _rows(policy_path, POLICY_COLUMNS) if row["id"].strip()]
    figures = _last_per_key(figures, lambda record: (record.agency_key, record.accessed_on))
    policies = _last_per_key(policies, lambda record: (record.agency_key, record.accessed_on))

    seen = [sharing_on, *(record.accessed_on for record in (*figures, *policies))]
    if agencies_on:
        seen.append(agencies_on)
    return AgencyFiles(
        agencies=agencies,
        sharing=sharing,
        sharing_seen_on=sharing_on,
        sharing_file=access_path.name.removesuffix(".gz"),  # the file as published
        portal_figures=figures,
        policies=policies,
        collected_from=min(seen),
        collected_to=max(seen),
    )
