"""The camera formats written to a file rather than streamed: GeoParquet 1.1 (pyarrow, row group by row group)
and FlatGeobuf (GDAL's ogr2ogr, from the CSV written beside it). Releases and filtered downloads use both.

Both carry the licence, the attribution and the data's date inside the file: GeoParquet in its key-value
metadata, FlatGeobuf in every feature's `licence`, `attribution` and `data_date` fields, as the CSV does (GDAL
3.6, Debian 12's, writes no dataset title or description to FlatGeobuf)."""

import json
import os
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from webapp.kernel.errors import Unavailable
from webapp.kernel.vocabulary import Limits
from webapp.opendata.formats import CSV_COLUMNS
from webapp.opendata.licence import ATTRIBUTION, LICENCE, LICENCE_URL

GEOPARQUET_VERSION = "1.1.0"
PARQUET_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("vendor", pa.string()),
        ("operator", pa.string()),
        ("directions", pa.list_(pa.int16())),
        ("mount", pa.string()),
        ("first_reported", pa.string()),
        ("last_confirmed", pa.string()),
        ("confirmations", pa.int32()),
        ("source", pa.string()),
        ("osm_type", pa.string()),
        ("osm_id", pa.int64()),
        ("geometry", pa.binary()),
    ]
)
# GDAL reads a CSV's column types from a .csvt file beside it (one type per column, in order).
CSV_TYPES = {
    "id": "Integer64",
    "lat": "Real",
    "lon": "Real",
    "confirmations": "Integer",
    "osm_id": "Integer64",
}
OGR2OGR_SECONDS = 600


def _point_wkb(lon: float, lat: float) -> bytes:
    """A point as ISO WKB, little-endian (byte order 1, geometry type 1 = Point)."""
    digits = Limits.COORDINATE_DIGITS
    return struct.pack("<BIdd", 1, 1, round(lon, digits), round(lat, digits))


def _geo_metadata() -> bytes:
    # No "crs": GeoParquet then means OGC:CRS84 (longitude, latitude on WGS 84), which is what is written.
    return json.dumps(
        {
            "version": GEOPARQUET_VERSION,
            "primary_column": "geometry",
            "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}},
        }
    ).encode()


class GeoParquetWriter:
    """Cameras written batch by batch as GeoParquet 1.1 (one row group per batch): `with
    GeoParquetWriter(path, data_date) as writer: writer.write(batch)`."""

    def __init__(self, path: Path, data_date: str):
        metadata = {
            b"geo": _geo_metadata(),
            b"licence": LICENCE.encode(),
            b"licence_url": LICENCE_URL.encode(),
            b"attribution": ATTRIBUTION.encode(),
            b"data_date": data_date.encode(),
        }
        self.schema = PARQUET_SCHEMA.with_metadata(metadata)
        self.rows = 0
        self._writer = pq.ParquetWriter(path, self.schema, compression="zstd")

    def write(self, batch: list[dict]) -> None:
        if not batch:
            return
        columns = {name: [row[name] for row in batch] for name in self.schema.names if name != "geometry"}
        columns["directions"] = [list(row["directions"] or []) for row in batch]
        columns["geometry"] = [_point_wkb(row["lon"], row["lat"]) for row in batch]
        self._writer.write_table(pa.Table.from_pydict(columns, schema=self.schema))
        self.rows += len(batch)

    def __enter__(self) -> "GeoParquetWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self._writer.close()


def write_geoparquet(batches: Iterable[list[dict]], path: Path, data_date: str) -> int:
    """Every camera of `batches` as GeoParquet 1.1; the number of rows."""
    with GeoParquetWriter(path, data_date) as writer:
        for batch in batches:
            writer.write(batch)
    return writer.rows


def write_flatgeobuf(csv_path: Path, path: Path) -> None:
    """The cameras of a CSV written by webapp.opendata.formats.csv_stream, as FlatGeobuf with a spatial
    index, through GDAL (the reference implementation of the format)."""
    ogr2ogr = shutil.which("ogr2ogr")
    if ogr2ogr is None:
        raise Unavailable("FlatGeobuf needs GDAL's ogr2ogr (Debian's gdal-bin).", code="gdal_missing")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".fgb-") as scratch:
        source = Path(scratch) / "cameras.csv"
        os.link(csv_path, source)  # the .csvt must sit beside a file of the same name
        source.with_suffix(".csvt").write_text(
            ",".join(f'"{CSV_TYPES.get(name, "String")}"' for name in _csv_header(csv_path)) + "\n"
        )
        subprocess.run(
            [
                ogr2ogr,
                "-q",
                "-f",
                "FlatGeobuf",
                str(path),
                str(source),
                "-nln",
                "cameras",
                "-a_srs",
                "EPSG:4326",
                "-oo",
                "X_POSSIBLE_NAMES=lon",
                "-oo",
                "Y_POSSIBLE_NAMES=lat",
            ],
            check=True,
            timeout=OGR2OGR_SECONDS,
            capture_output=True,
        )


def _csv_header(csv_path: Path) -> list[str]:
    with open(csv_path, encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    # The camera CSVs start with these columns; anything after them is text.
    assert tuple(header[: len(CSV_COLUMNS)]) == CSV_COLUMNS, header
    return header
