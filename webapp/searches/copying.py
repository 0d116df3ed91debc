"""Writing a file's searches read as columns (webapp.searches.fast_csv) with COPY, the rows formatted by
pyarrow's CSV writer in C: into the staging table (when the log already holds searches in the file's period,
the importer's SQL decides which are new), or straight into `searches` (when it holds none there: every
search of the file is new but its own repeats, numbered here exactly as the importer's SQL numbers them).

Nothing personal is in the columns: fast_csv never converted those cells; the reasons are local ids."""

import io

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from psycopg import sql

from webapp.searches.fast_csv import NULL_OFFSET, Columns

STAGING_COLUMNS = (
    "row_number", "searched_at", "search_id", "searcher_local", "reason_local", "window_start_s",
    "window_end_s", "devices", "networks", "type_local", "moderation",
)  # fmt: skip
SEARCH_COLUMNS = (
    "searched_at", "log_id", "file_id", "row_number", "searcher_id", "reason_id", "window_start_s",
    "window_end_s", "devices", "networks", "occurrence", "search_type_id", "moderation",
)  # fmt: skip
CHUNK_ROWS = 250_000


def _nullable(values: np.ndarray, null_value: int) -> pa.Array:
    return pa.array(values, pa.int64(), mask=values == null_value)


def _copy(connection, table: str, columns: tuple[str, ...], arrays: list[pa.Array]) -> None:
    """COPY the arrays (in `columns` order) into `table`, a chunk of CSV at a time."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    whole = pa.table(arrays, names=list(columns))
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for offset in range(0, whole.num_rows, CHUNK_ROWS):
            buffer = io.BytesIO()
            pa_csv.write_csv(
                whole.slice(offset, CHUNK_ROWS), buffer, pa_csv.WriteOptions(include_header=False)
            )
            copy.write(buffer.getbuffer())


def stage_columns(connection, columns: Columns) -> None:
    """The columns into the importer's staging table (local ids, times in seconds)."""
    count = len(columns.row_number)
    search_ids = columns.search_ids if columns.search_ids is not None else pa.nulls(count, pa.string())
    _copy(
        connection,
        "search_staging",
        STAGING_COLUMNS,
        [
            pa.array(columns.row_number),
            pa.array(columns.searched_at),
            pa.concat_arrays(search_ids.chunks) if isinstance(search_ids, pa.ChunkedArray) else search_ids,
            pa.array(columns.searcher),
            pa.array(columns.reason),
            _nullable(columns.window_start, NULL_OFFSET),
            _nullable(columns.window_end, NULL_OFFSET),
            _nullable(columns.devices, -1),
            pa.array(columns.networks),
            pa.array(columns.search_type),
            pa.array(columns.moderation),
        ],
    )


def numbered_ids(columns: Columns) -> np.ndarray | None:
    """Each search ID's rank in code-point order (the SQL's ORDER BY search_id COLLATE "C"), -1 for none;
    None when some rows have an ID and others not (the SQL then numbers them)."""
    count = len(columns.row_number)
    ids = columns.search_ids
    if ids is None or ids.null_count == count:
        return np.full(count, -1, dtype=np.int64)
    if ids.null_count:
        return None
    return pc.rank(pa.concat_arrays(ids.chunks), sort_keys="ascending", tiebreaker="dense").to_numpy()


def occurrences(key: list[np.ndarray], row_number: np.ndarray, id_rank: np.ndarray):
    """(the rows to store, their occurrence): the SQL's numbering of rows that share every stored cell
    (`key`): 1, 2, ... in file order when the file has no search IDs, else by ID (a repeated ID is one
    search, kept at its first row)."""
    with_ids = bool((id_rank >= 0).any())
    order = np.lexsort([row_number, id_rank, *key] if with_ids else [row_number, *key])
    count = len(order)
    new_key = np.zeros(count, dtype=bool)
    new_key[0] = True
    for column in key:
        sorted_column = column[order]
        new_key[1:] |= sorted_column[1:] != sorted_column[:-1]
    positions = np.arange(count)
    key_start = np.maximum.accumulate(np.where(new_key, positions, 0))
    if not with_ids:
        occurrence = positions - key_start + 1
        return order, occurrence
    ranks = id_rank[order]
    new_id = new_key.copy()
    new_id[1:] |= ranks[1:] != ranks[:-1]
    seen = np.cumsum(new_id)
    occurrence = seen - seen[key_start] + 1
    return order[new_id], occurrence[new_id]


def copy_searches(connection, columns: Columns, ids: dict, id_rank, reasons, searchers, types) -> int:
    """Number the file's searches and COPY them into `searches` in time order; how many were copied.
    `reasons`, `searchers`, `types`: the stored id of each local id."""
    if not len(columns.row_number):
        return 0
    searcher = np.asarray(searchers, dtype=np.int64)[columns.searcher]
    reason = np.asarray(reasons, dtype=np.int64)[columns.reason]
    search_type = np.asarray(types, dtype=np.int64)[columns.search_type]
    # The SQL compares missing windows and devices as -1.
    start = np.where(columns.window_start == NULL_OFFSET, -1, columns.window_start)
    end = np.where(columns.window_end == NULL_OFFSET, -1, columns.window_end)
    key = [columns.moderation, search_type, columns.networks, columns.devices, end, start, reason, searcher,
           columns.searched_at]  # fmt: skip
    rows, occurrence = occurrences(key, columns.row_number, id_rank)
    in_time = np.lexsort([columns.row_number[rows], columns.searched_at[rows]])
    rows, occurrence = rows[in_time], occurrence[in_time]
    count = len(rows)
    _copy(
        connection,
        "searches",
        SEARCH_COLUMNS,
        [
            pc.cast(pa.array(columns.searched_at[rows]), pa.timestamp("s", tz="UTC")),
            pa.array(np.full(count, ids["log_id"])),
            pa.array(np.full(count, ids["file_id"])),
            pa.array(columns.row_number[rows]),
            pa.array(searcher[rows]),
            pa.array(reason[rows]),
            _nullable(columns.window_start[rows], NULL_OFFSET),
            _nullable(columns.window_end[rows], NULL_OFFSET),
            pa.array(columns.devices[rows]),  # -1: the file has no such column (migration 0023)
            pa.array(columns.networks[rows]),
            pa.array(occurrence),
            pa.array(search_type[rows]),
            pa.array(columns.moderation[rows]),
        ],
    )
    return count
