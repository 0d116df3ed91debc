"""Figures kept in the worker's memory for as long as they are current.

`area_counts_version` (migration 0006) moves on in the same transaction as any change of the per-area counts
or of the areas. A request reads the version first, then uses what was computed at that version or computes
it afresh: a figure is never older than the last committed change, and a national answer costs one
primary-key read while nothing changed. Reading the version before the data matters: figures computed from
data newer than their version are only recomputed once too often, never served stale. Versions come from a
sequence, so the number of a change that was rolled back never comes back with other data.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from sqlalchemy import text

from webapp.kernel.extensions import db

# Entries per process: the lists (states; counties nationally and per state) and the ranked areas.
MAX_ENTRIES = 32

_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()


def counts_version() -> int | None:
    """The version of the counts now; None when its row is gone (an emptied table): nothing is kept then."""
    return db.session.scalar(text("SELECT version FROM area_counts_version WHERE id = 1"))


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
    with _lock:
        _entries[key] = (version, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
