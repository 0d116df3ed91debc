"""Figures kept in the worker's memory for as long as they are current.

`area_counts_version` (migration 0006) moves on in the same transaction as any change of the per-area counts
or of the areas. A request reads the version first, then uses what was computed at that version or computes
it afresh: a figure is never older than the last committed change, and a national answer costs one
primary-key read while nothing changed. Reading the version before the data matters: figures computed from
data newer than their version are only recomputed once too often, never served stale. Versions come from a
sequence, so the number of a change that was rolled back never comes back with other data.

`updated()` keeps a value that can be brought up to date from an older one: each count row carries the
version that last changed it, and versions grow in commit order (migration 0022), so what changed since the
kept version is the rows above it, unless a recount (a rebuild, the areas, operator links, agency names)
came after it.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from sqlalchemy import text

from webapp.kernel.extensions import db

# Entries per process: the lists (states; counties nationally and per state) and the ranked areas.
MAX_ENTRIES = 32
# Of those, the large ones that updated() keeps (a county list's parts are about 6 MB): the oldest of a kind
# (the first item of their keys) past this many go, whatever `top` and language are asked for.
MAX_OF_A_KIND = 6

_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()


# `written`: this transaction has written something (it holds a transaction id). A value computed in it may
# count changes that are rolled back later, under a version number no committed change has: it is used for
# this request and not kept.
VERSIONS_SQL = text(
    "SELECT version, recounted, pg_current_xact_id_if_assigned() IS NOT NULL AS written "
    "FROM area_counts_version WHERE id = 1"
)


def counts_versions() -> tuple[int, int, bool] | None:
    """(version, recounted, written) now: the version of the counts, the last version that changed more
    than counts, and whether this transaction has written anything; None when the row is gone."""
    row = db.session.execute(VERSIONS_SQL).first()
    return None if row is None else (row.version, row.recounted, row.written)


def updated(
    key: Hashable, versions: tuple[int, int, bool] | None, update: Callable[[object, int | None], object]
):
    """The value cached under `key` at the current version; else `update(kept, since)`, then cached: `kept`
    is the value cached at version `since`, which the counts changed after (only counts: no recount came
    since), or (None, None) when there is nothing to start from."""
    if versions is None:
        return update(None, None)
    version, recounted, written = versions
    with _lock:
        found = _entries.get(key)
    if found is not None and found[0] == version:
        with _lock:
            _entries.move_to_end(key)
        return found[1]
    usable = found is not None and recounted <= found[0] < version
    value = update(found[1], found[0]) if usable else update(None, None)
    if not written:
        _keep(key, version, value, of_a_kind=MAX_OF_A_KIND)
    return value


def current(key: Hashable, version: int | None, compute: Callable[[], object]):
    """The value cached under `key` at `version`, or `compute()` (then cached, unless version is None)."""
    if version is None:
        return compute()
    with _lock:
        found = _entries.get(key)
        if found is not None and found[0] == version:
            _entries.move_to_end(key)
            return found[1]
    value = compute()
    _keep(key, version, value)
    return value


def _keep(key: Hashable, version: int, value, of_a_kind: int | None = None) -> None:
    with _lock:
        found = _entries.get(key)
        # A thread that computed at an older version than the one kept meanwhile leaves the newer one.
        if found is None or found[0] <= version:
            _entries[key] = (version, value)
        _entries.move_to_end(key)
        if of_a_kind is not None:
            alike = [kept for kept in _entries if kept[0] == key[0]]
            for oldest in alike[: max(len(alike) - of_a_kind, 0)]:
                del _entries[oldest]
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    with _lock:
        _entries.clear()
