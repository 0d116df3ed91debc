"""A selection of cameras (webapp.opendata.selections) as a download in any format: CSV, GeoJSON and KML
streamed, GeoParquet and FlatGeobuf written to a temporary folder first (their writers need a file) and
deleted once sent. Every file says its licence and "live as of" the minute it was read."""

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import Response, stream_with_context, url_for

from webapp.kernel.http.public_answers import attachment, public_answer
from webapp.opendata.file_formats import write_flatgeobuf, write_geoparquet
from webapp.opendata.formats import csv_stream, geojson_stream, kml_stream
from webapp.opendata.selections import Selection, count_selected, selected_cameras

STREAMED = {
    "csv": (csv_stream, "text/csv"),
    "geojson": (geojson_stream, "application/geo+json"),
    "kml": (kml_stream, "application/vnd.google-earth.kml+xml"),
}
WRITTEN = {"parquet": "application/vnd.apache.parquet", "fgb": "application/flatgeobuf"}
FORMAT_LABELS = {
    "csv": "CSV",
    "geojson": "GeoJSON",
    "kml": "KML",
    "parquet": "GeoParquet",
    "fgb": "FlatGeobuf",
}


def selection_downloads(**selection) -> dict[str, str]:
    """An answer's `downloads`: the URL of its cameras in every format, by format; `selection` is the query
    argument of /api/v1/cameras/selection (receiver=7, area=HASH...)."""
    return {
        file_format: url_for(
            "opendata.selection_download", file_format=file_format, _external=True, **selection
        )
        for file_format in FORMAT_LABELS
    }


def _file_body(selection: Selection, file_format: str, stamp: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="sightline-selection-") as folder:
        path = Path(folder) / f"cameras.{file_format}"
        if file_format == "parquet":
            write_geoparquet(selected_cameras(selection), path, stamp)
        else:
            csv_path = Path(folder) / "cameras.csv"
            with open(csv_path, "w", encoding="utf-8", newline="") as handle:
                for part in csv_stream(selected_cameras(selection), stamp):
                    handle.write(part)
            write_flatgeobuf(csv_path, path)
        return path.read_bytes()


def send_selection(selection: Selection, file_format: str) -> Response:
    count = count_selected(selection)
    stamp = f"live as of {datetime.now(UTC):%Y-%m-%dT%H:%MZ}"
    if file_format in STREAMED:
        serialise, mimetype = STREAMED[file_format]
        body = stream_with_context(part.encode() for part in serialise(selected_cameras(selection), stamp))
        response = Response(body, mimetype=mimetype)
    else:
        response = Response(_file_body(selection, file_format, stamp), mimetype=WRITTEN[file_format])
    response.headers["Sightline-Data-Date"] = stamp
    response.headers["Sightline-Cameras"] = str(count)
    return public_answer(attachment(response, f"sightline-cameras-{selection.name}.{file_format}"))
