"""The searches behind a figure, a page at a time, each citable by its file and row number (the file's data
row, 1 = the first row after the header).

`searches` has only a BRIN index on (log, time, file) (a B-tree would cost a third of the disk budget at 17
million rows), so a page reads bounded windows of time: WINDOW_DAYS (less in a dense log: about
WINDOW_SEARCHES searches a window) within one of the months the rollups say
hold matching searches, at most WINDOWS_PER_REQUEST windows per request. A page holds up to `limit` rows;
when the windows run out first it holds fewer (maybe none) and `next` continues after the last window read.
Every request reads at most those windows' block ranges, whatever the filters: its cost is bounded."""

import re
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import (
    ColumnElement,
    Integer,
    ScalarSelect,
    Table,
    and_,
    any_,
    bindparam,
    func,
    literal,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY

from webapp.kernel.data.models import Search, SearchLogFile, SearchReason, SearchReasonClass
from webapp.kernel.errors import InvalidField
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import SEARCH_MODERATIONS
from webapp.searches.classification import CATEGORY_LABELS
from webapp.searches.criteria import SearchFilters, categories_for
from webapp.searches.searched_by import (
    rollup_conditions,
    search_counts,
    search_month_counts,
    search_searcher_counts,
    search_types,
)
from webapp.searches.searcher_relations import placed_searchers, searcher_profiles

WINDOW_DAYS = 7
# A window is shorter where a log is dense: about this many of its searches a window (at least an hour), so a
# page of a 17-million-search log reads a day's blocks, not a week's.
WINDOW_SEARCHES = 20_000
# Windows one request may read: a page of rare matches skips ahead this far before it answers.
WINDOWS_PER_REQUEST = 8
CURSOR = re.compile(r"^(\d{1,12})\.(\d{1,10})\.(\d{1,10})$")

searches = Search.__table__
reasons = SearchReason.__table__
reason_classes = SearchReasonClass.__table__
log_files = SearchLogFile.__table__


def parse_cursor(raw: str | None) -> tuple[datetime, int, int] | None:
    """`after` = <unix seconds>.<file id>.<row number> of the last row shown (file 0: from that time on)."""
    value = (raw or "").strip()
    if not value:
        return None
    match = CURSOR.match(value)
    if not match:
        raise InvalidField("after", _("after must be the `next` value of a page, as it was given."))
    seconds, file_id, row_number = (int(part) for part in match.groups())
    return datetime.fromtimestamp(seconds, UTC), file_id, row_number


def cursor_text(at: datetime, file_id: int = 0, row_number: int = 0) -> str:
    return f"{int(at.timestamp())}.{file_id}.{row_number}"


def _month_end(month: date) -> datetime:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return datetime(following.year, following.month, 1, tzinfo=UTC)


def _searchers_related(log: dict, relation: str) -> list[int]:
    c = search_searcher_counts.c
    placed = placed_searchers(log["owner"]["state"])
    related = db.session.execute(
        select(c.searcher_id)
        .join_from(search_searcher_counts, placed, placed.c.searcher_id == c.searcher_id)
        .where(c.log_id == log["id"], placed.c.relation == relation)
        .group_by(c.searcher_id)
        .having(func.sum(c.searches) > 0)
    )
    return list(related.scalars())


def _related(log: dict, filters: SearchFilters) -> list[int] | None:
    """The searchers with the asked relation to the log's owner (None: no relation asked for)."""
    if filters.relation is None:
        return None
    return _searchers_related(log, filters.relation) or [-1]


def _type_id(name: str) -> ScalarSelect:
    return select(search_types.c.id).where(search_types.c.name == name).scalar_subquery()


def _one_of(column, ids: list[int]) -> ColumnElement[bool]:
    """`column = ANY(:ids)`: one array parameter, however many searchers (thousands of bound values cost
    more to plan)."""
    return column == any_(literal(ids, ARRAY(Integer)))


def _narrowing(table: Table, filters: SearchFilters, related: list[int] | None) -> list[ColumnElement[bool]]:
    """Conditions on a rollup table (search_counts or search_month_counts) beyond the period: category,
    searcher, type, relation."""
    conditions = rollup_conditions(filters.narrowed(month_from=None, month_to=None), table)
    if filters.search_type is not None:
        conditions.append(table.c.search_type_id == _type_id(filters.search_type))
    if related is not None:
        conditions.append(_one_of(table.c.searcher_id, related))
    return conditions


def _months_with_matches(log: dict, filters: SearchFilters, start: date, related: list[int] | None) -> list:
    """The months from `start` (within the period) whose rollups count a matching search, oldest first."""
    by_searcher = filters.searcher is not None or filters.relation is not None
    table = search_counts if by_searcher else search_month_counts
    c = table.c
    conditions = [c.log_id == log["id"], c.month >= start]
    if filters.month_to:
        conditions.append(c.month <= filters.month_to)
    query = (
        select(c.month)
        .where(*conditions, *_narrowing(table, filters, related))
        .group_by(c.month)
        .having(func.sum(c.searches) > 0)
        .order_by(c.month)
        .limit(2)
    )
    return list(db.session.execute(query).scalars())


def _row_conditions(filters: SearchFilters, related: list[int] | None) -> list[ColumnElement[bool]]:
    """The same filters over searches: the category through the reasons' classes."""
    s, k = searches.c, reason_classes.c
    conditions = []
    if filters.category:
        classed = select(k.reason_id).where(
            k.rule_version == bindparam("rule_version"), k.category.in_(categories_for(filters.category))
        )
        conditions.append(s.reason_id.in_(classed))
    if filters.searcher is not None:
        conditions.append(s.searcher_id == filters.searcher)
    if filters.search_type is not None:
        conditions.append(s.search_type_id == _type_id(filters.search_type))
    if related is not None:
        conditions.append(_one_of(s.searcher_id, related))
    return conditions


def _rows_query(filters: SearchFilters, related: list[int] | None):
    """A window's rows after a cursor, in time order; bound at each window: log, rule_version,
    window_start, window_end, at, file, row, limit."""
    s = searches.c
    return (
        select(
            s.searched_at,
            s.file_id,
            s.row_number,
            s.searcher_id,
            s.networks,
            func.nullif(s.devices, -1).label("devices"),  # -1: the file had no such column
            s.moderation,
            s.window_start_s,
            s.window_end_s,
            reasons.c.reason,
            reason_classes.c.category,
            search_types.c.name.label("search_type"),
            log_files.c.file_name,
            log_files.c.title.label("file_title"),
        )
        .join_from(searches, reasons, reasons.c.id == s.reason_id)
        .join(search_types, search_types.c.id == s.search_type_id)
        .join(log_files, log_files.c.id == s.file_id)
        .outerjoin(
            reason_classes,
            and_(
                reason_classes.c.reason_id == s.reason_id,
                reason_classes.c.rule_version == bindparam("rule_version"),
            ),
        )
        .where(
            s.log_id == bindparam("log"),
            s.searched_at >= bindparam("window_start"),
            s.searched_at < bindparam("window_end"),
            tuple_(s.searched_at, s.file_id, s.row_number)
            > tuple_(bindparam("at"), bindparam("file"), bindparam("row")),
            *_row_conditions(filters, related),
        )
        .order_by(s.searched_at, s.file_id, s.row_number)
        .limit(bindparam("limit"))
    )


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if at else None


def _row(row, profiles: dict) -> dict:
    at = row["searched_at"]
    profile = profiles.get(row["searcher_id"], {})

    def offset(seconds):
        return _iso(at + timedelta(seconds=seconds)) if seconds is not None else None

    return {
        "file": row["file_id"],
        "file_name": row["file_name"],
        "file_title": row["file_title"],
        "row": row["row_number"],
        "searched_at": _iso(at),
        "searcher": profile.get("name"),
        "searcher_id": row["searcher_id"],
        "searcher_agency": profile.get("agency"),
        "relation": profile.get("relation"),
        "reason": row["reason"],
        "category": row["category"],
        "category_label": str(CATEGORY_LABELS.get(row["category"], row["category"]))
        if row["category"]
        else None,
        "search_type": row["search_type"],
        "networks": row["networks"],
        "devices": row["devices"],
        "moderation": SEARCH_MODERATIONS[row["moderation"]],
        "time_frame_from": offset(row["window_start_s"]),
        "time_frame_to": offset(row["window_end_s"]),
    }


def window_length(log: dict) -> timedelta:
    """WINDOW_DAYS, or less for a log holding more than WINDOW_SEARCHES searches in that time on average."""
    if not log["first_day"] or not log["last_day"]:
        return timedelta(days=WINDOW_DAYS)
    days = (date.fromisoformat(log["last_day"]) - date.fromisoformat(log["first_day"])).days + 1
    hours = WINDOW_SEARCHES * days * 24 // max(log["searches"], 1)
    return timedelta(hours=min(max(hours, 1), WINDOW_DAYS * 24))


def _window(log: dict, filters: SearchFilters, after, related) -> tuple[datetime, datetime, bool] | None:
    """The next window of time to read after `after`: its start, its end, and whether matches may follow
    it; None when the rollups count no matching search from there on."""
    period_start = (
        datetime.combine(filters.month_from, datetime.min.time(), UTC) if filters.month_from else None
    )
    start = max(filter(None, (after[0] if after else None, period_start)), default=None)
    first_month = start.date().replace(day=1) if start else date(1970, 1, 1)
    months = _months_with_matches(log, filters, first_month, related)
    if not months:
        return None
    month_start = datetime.combine(months[0], datetime.min.time(), UTC)
    window_start = max(start, month_start) if start else month_start
    window_end = min(window_start + window_length(log), _month_end(months[0]))
    return window_start, window_end, window_end < _month_end(months[0]) or len(months) > 1


def rows_page(log: dict, filters: SearchFilters, after: tuple[datetime, int, int] | None, limit: int) -> dict:
    """Up to `limit` searches of the log matching the filters, in time order after `after`; `next` is the
    cursor of the following page (None at the end). At most WINDOWS_PER_REQUEST windows are read."""
    related = _related(log, filters)
    query = _rows_query(filters, related)
    rows, cursor, more = [], after, False
    for _window_number in range(WINDOWS_PER_REQUEST):
        window = _window(log, filters, cursor, related)
        if window is None:
            more = False
            break
        window_start, window_end, more = window
        last = cursor if cursor and cursor[0] >= window_start else (window_start, 0, 0)
        found = list(
            db.session.execute(
                query,
                {
                    "log": log["id"],
                    "rule_version": log["rule_version"],
                    "window_start": window_start,
                    "window_end": window_end,
                    "at": last[0],
                    "file": last[1],
                    "row": last[2],
                    "limit": limit - len(rows) + 1,
                },
            ).mappings()
        )
        if len(rows) + len(found) > limit:
            rows += found[: limit - len(rows)]
            cursor, more = (rows[-1]["searched_at"], rows[-1]["file_id"], rows[-1]["row_number"]), True
            break
        rows += found
        cursor = (window_end, 0, 0)
        if not more:
            break
    profiles = searcher_profiles({row["searcher_id"] for row in rows}, log["owner"]["state"])
    return {
        "log": log["id"],
        "filters": filters.as_args(),
        "rows": [_row(row, profiles) for row in rows],
        "next": cursor_text(*cursor) if more and cursor else None,
    }
