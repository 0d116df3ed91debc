"""What a release holds, file by file: the citable cameras in five formats, the removed cameras, the coverage
figures of every state and county, the cameras changed since the previous release, the searches' aggregate
answers, and every other export set (the agencies and their sharing relations). Every file is written from the
release's one snapshot (the transaction is REPEATABLE READ: webapp.releases.making)."""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

import webapp.agencies.public.open_data  # noqa: F401  (registers the agencies' export set)
from webapp.coverage.area_figures import area_list
from webapp.coverage.csv_files import areas_csv
from webapp.coverage.method import method_statement
from webapp.geo.public_cameras import all_citable_cameras, all_removed_cameras
from webapp.kernel.csv_cells import csv_writer
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AreaKind
from webapp.opendata.export_files import CAMERA_EXPORTS, EXPORT_SETS
from webapp.opendata.file_formats import GeoParquetWriter, write_flatgeobuf
from webapp.opendata.formats import (
    GEOJSON_TAIL,
    KML_TAIL,
    csv_batch,
    csv_header,
    geojson_batch,
    geojson_head,
    kml_batch,
    kml_head,
    removed_csv_stream,
)
from webapp.opendata.licence import LICENCE

MEDIATYPES = {
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "kml": "application/vnd.google-earth.kml+xml",
    "parquet": "application/vnd.apache.parquet",
    "fgb": "application/flatgeobuf",
    "json": "application/json",
}
CHANGES_COLUMNS = ("camera_id", "change", "lat", "lon", "licence", "data_date")


@dataclass(frozen=True)
class ReleaseFile:
    name: str  # the resource's name in datapackage.json
    file_name: str
    title: str

    @property
    def format(self) -> str:
        return self.file_name.rsplit(".", 1)[1]

    @property
    def mediatype(self) -> str:
        return MEDIATYPES[self.format]


def _write_text(path: Path, parts: Iterable[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for part in parts:
            handle.write(part)


def write_contents(folder: Path, number: int, previous: int | None, data_date: str) -> list[ReleaseFile]:
    """Write every file of release `number` into `folder`; the files in the order datapackage.json lists."""
    prefix = f"sightline-release-{number}-"
    files: list[ReleaseFile] = []

    def add(stem: str, extension: str, title: str) -> Path:
        release_file = ReleaseFile(f"{stem}-{extension}", f"{prefix}{stem}.{extension}", title)
        files.append(release_file)
        return folder / release_file.file_name

    cameras = "Verified ALPR cameras"
    paths = {
        extension: add("cameras", extension, cameras) for extension in ("csv", "geojson", "kml", "parquet")
    }
    _write_cameras(paths, data_date)
    write_flatgeobuf(paths["csv"], add("cameras", "fgb", cameras))
    _write_text(
        add("removed-cameras", "csv", "Cameras confirmed taken down, with the month"),
        removed_csv_stream(all_removed_cameras(), data_date),
    )
    method = method_statement()
    for kind, stem in ((AreaKind.STATE, "coverage-states"), (AreaKind.COUNTY, "coverage-counties")):
        path = add(stem, "csv", f"Coverage figures of every {kind.value}")
        _write_text(path, [areas_csv(area_list(kind), method)])
    _write_text(
        add("changes", "csv", "Cameras added, removed or moved since the previous release"),
        _changes_csv(number, previous, data_date),
    )
    for stem, title, sql in SEARCH_AGGREGATES:
        _write_text(add(stem, "csv", title), _query_csv(sql, data_date))
    # Every other export set (the agencies and their sharing relations), its formats as they are written
    # for the live exports: format names are "<what>-<extension>".
    for export_set in EXPORT_SETS.values():
        if export_set is CAMERA_EXPORTS:
            continue
        for name, export_format in export_set.formats.items():
            what, extension = name.rsplit("-", 1)
            stem = what if what == export_set.name else f"{export_set.name}-{what}"
            path = add(stem, extension, f"{export_set.name.capitalize()}: {what}")
            _write_text(path, export_format.serialise(export_format.rows(), data_date))
    return files


def _write_cameras(paths: dict[str, Path], data_date: str) -> None:
    """The cameras read once, each batch written to the CSV, GeoJSON, KML and GeoParquet files in turn (a
    million cameras are read in one pass, not one per format)."""
    with (
        open(paths["csv"], "w", encoding="utf-8", newline="") as csv_file,
        open(paths["geojson"], "w", encoding="utf-8") as geojson_file,
        open(paths["kml"], "w", encoding="utf-8") as kml_file,
        GeoParquetWriter(paths["parquet"], data_date) as parquet,
    ):
        csv_file.write(csv_header())
        geojson_file.write(geojson_head(data_date))
        kml_file.write(kml_head(data_date))
        first = True
        for batch in all_citable_cameras():
            csv_file.write(csv_batch(batch, data_date))
            text_of_batch = geojson_batch(batch, first)
            if text_of_batch:
                geojson_file.write(text_of_batch)
                first = False
            kml_file.write(kml_batch(batch))
            parquet.write(batch)
        geojson_file.write(GEOJSON_TAIL)
        kml_file.write(KML_TAIL)


# The searches' aggregate answers (issue 21) as they stood: every loaded audit log that is not a demo, with
# its sources, and its rollups by searching agency and category, and by month, category and search type.
# Counts only: no search, reason text or anything personal leaves the database this way.
REAL_LOGS = "SELECT id FROM search_logs WHERE NOT demo"
SEARCH_AGGREGATES = (
    (
        "searches-logs",
        "Audit logs loaded, with their sources (public records)",
        f"""
        SELECT l.id AS log_id, l.owner_agency_id, a.name AS owner_agency, l.kind, l.searches,
               to_char(l.first_search_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS first_search_day,
               to_char(l.last_search_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS last_search_day,
               l.rule_version,
               (SELECT string_agg(f.title || ' (' || coalesce(f.url, 'no URL') || ', received '
                                  || f.received_on || ', ' || f.file_name || ', sha256 ' || f.sha256 || ')',
                                  '; ' ORDER BY f.id)
                FROM search_log_files AS f WHERE f.log_id = l.id) AS sources
        FROM search_logs AS l JOIN agencies AS a ON a.id = l.owner_agency_id
        WHERE l.id IN ({REAL_LOGS}) ORDER BY l.id
        """,  # noqa: S608 (the fixed subquery REAL_LOGS; no value in it)
    ),
    (
        "searches-by-searcher",
        "Searches of each log by searching agency (Org Name as the log writes it) and reason category",
        f"""
        SELECT c.log_id, s.name AS searching_agency, s.named_state, s.named_federal, c.category,
               c.searches, c.multi_network
        FROM search_searcher_counts AS c JOIN search_searchers AS s ON s.id = c.searcher_id
        WHERE c.log_id IN ({REAL_LOGS}) AND c.searches <> 0 ORDER BY c.log_id, s.name, c.category
        """,  # noqa: S608 (the fixed subquery REAL_LOGS; no value in it)
    ),
    (
        "searches-by-month",
        "Searches of each log by month, reason category and search type",
        f"""
        SELECT c.log_id, to_char(c.month, 'YYYY-MM') AS month, c.category, t.name AS search_type,
               c.searches, c.multi_network
        FROM search_month_counts AS c JOIN search_types AS t ON t.id = c.search_type_id
        WHERE c.log_id IN ({REAL_LOGS}) AND c.searches <> 0 ORDER BY c.log_id, c.month, c.category, t.name
        """,  # noqa: S608 (the fixed subquery REAL_LOGS; no value in it)
    ),
)


def _query_csv(sql: str, data_date: str) -> Iterable[str]:
    result = db.session.execute(text(sql), execution_options={"stream_results": True})
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([*result.keys(), "data_date"])
    for batch in result.partitions(5000):
        for row in batch:
            writer.writerow([*("" if value is None else value for value in row), data_date])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


CHANGES_SQL = text(
    """
    SELECT camera_id,
           CASE WHEN old.camera_id IS NULL THEN 'added' WHEN new.camera_id IS NULL THEN 'removed'
                ELSE 'moved' END AS change,
           coalesce(new.lat, old.lat) AS lat, coalesce(new.lon, old.lon) AS lon
    FROM (SELECT camera_id, lon, lat FROM release_cameras WHERE release_number = :number) AS new
    FULL JOIN (SELECT camera_id, lon, lat FROM release_cameras WHERE release_number = :previous) AS old
    USING (camera_id)
    WHERE old.camera_id IS NULL OR new.camera_id IS NULL OR (old.lon, old.lat) <> (new.lon, new.lat)
    ORDER BY camera_id
    """
)


def _changes_csv(number: int, previous: int | None, data_date: str) -> Iterable[str]:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(CHANGES_COLUMNS)
    result = db.session.execute(
        CHANGES_SQL, {"number": number, "previous": previous or 0}, execution_options={"stream_results": True}
    )
    for batch in result.partitions(5000):
        for camera_id, change, lat, lon in batch:
            writer.writerow([camera_id, change, lat, lon, LICENCE, data_date])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
