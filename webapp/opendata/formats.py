"""Serialising public camera rows as GeoJSON, CSV and KML, batch by batch (the export files are written
from these streams, never holding every row at once). Each full export says its data date: when its rows
were read."""

import io
import json
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from webapp.geo.geojson import camera_feature
from webapp.geo.public_cameras import FIELDS
from webapp.kernel.csv_cells import csv_writer
from webapp.kernel.vocabulary import Limits
from webapp.opendata.licence import ATTRIBUTION, LICENCE, LICENCE_URL, row_attribution

COORDINATE_DIGITS = Limits.COORDINATE_DIGITS


# The export's properties: every public field but the position (the geometry holds it).
PROPERTIES = tuple(name for name in FIELDS if name not in ("lat", "lon"))


def feature(row: dict) -> dict:
    return camera_feature(row, PROPERTIES)


def feature_collection(rows: list[dict], data_date: str | None = None) -> dict:
    # "licence", "attribution" and "data_date" are GeoJSON foreign members: readers that do not know them
    # skip them.
    collection = {
        "type": "FeatureCollection",
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
    }
    if data_date is not None:
        collection["data_date"] = data_date
    collection["features"] = [feature(row) for row in rows]
    return collection


def geojson_head(data_date: str) -> str:
    head = json.dumps(feature_collection([], data_date))
    return head[: head.rindex("[") + 1]


GEOJSON_TAIL = "]}\n"


def geojson_batch(batch: list[dict], first: bool) -> str:
    """A batch's features, with the comma that joins them to the features before (unless `first`)."""
    text = ",".join(json.dumps(feature(row), separators=(",", ":")) for row in batch)
    return text if first or not text else "," + text


def geojson_stream(batches: Iterable[list[dict]], data_date: str) -> Iterator[str]:
    yield geojson_head(data_date)
    first = True
    for batch in batches:
        text = geojson_batch(batch, first)
        if text:
            yield text
            first = False
    yield GEOJSON_TAIL


CSV_COLUMNS = (*FIELDS, "licence", "attribution", "data_date")


def removed_csv_stream(batches: Iterable[list[dict]], data_date: str) -> Iterator[str]:
    """The removed-cameras export: the same columns, and the month each camera was taken down."""
    return csv_stream(batches, data_date, extra=("removed",))


def csv_header(extra: tuple[str, ...] = ()) -> str:
    buffer = io.StringIO()
    csv_writer(buffer).writerow((*CSV_COLUMNS, *extra))
    return buffer.getvalue()


def csv_batch(batch: list[dict], data_date: str, extra: tuple[str, ...] = ()) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    for row in batch:
        writer.writerow(
            [
                row["id"],
                round(row["lat"], COORDINATE_DIGITS),
                round(row["lon"], COORDINATE_DIGITS),
                row["vendor"],
                row["operator"] or "",
                ";".join(str(direction) for direction in row["directions"] or []),
                row["mount"] or "",
                row["first_reported"] or "",
                row["last_confirmed"] or "",
                row["confirmations"],
                row["source"],
                row["osm_type"] or "",
                row["osm_id"] if row["osm_id"] is not None else "",
                LICENCE,
                row_attribution(row["source"]),
                data_date,
                *(row[name] or "" for name in extra),
            ]
        )
    return buffer.getvalue()


def csv_stream(batches: Iterable[list[dict]], data_date: str, extra: tuple[str, ...] = ()) -> Iterator[str]:
    yield csv_header(extra)
    for batch in batches:
        yield csv_batch(batch, data_date, extra)


def _placemark(row: dict) -> str:
    data = "".join(
        f'<Data name="{name}"><value>{escape(_kml_value(row, name))}</value></Data>'
        for name in FIELDS
        if name not in ("lat", "lon")
    )
    return (
        f'<Placemark id="camera-{row["id"]}"><name>{escape(row["vendor"])}</name>'
        f"<ExtendedData>{data}</ExtendedData>"
        f"<Point><coordinates>{round(row['lon'], COORDINATE_DIGITS)},{round(row['lat'], COORDINATE_DIGITS)}"
        "</coordinates></Point></Placemark>\n"
    )


def _kml_value(row: dict, name: str) -> str:
    value = row[name]
    if name == "directions":
        return ";".join(str(direction) for direction in value or [])
    return "" if value is None else str(value)


def kml_head(data_date: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n'
        "<name>Sightline: verified ALPR cameras</name>\n"
        f"<description>{escape(ATTRIBUTION)}</description>\n"
        f'<ExtendedData><Data name="licence"><value>{LICENCE}</value></Data>'
        f'<Data name="attribution"><value>{escape(ATTRIBUTION)}</value></Data>'
        f'<Data name="data_date"><value>{escape(data_date)}</value></Data></ExtendedData>\n'
    )


KML_TAIL = "</Document></kml>\n"


def kml_batch(batch: list[dict]) -> str:
    return "".join(_placemark(row) for row in batch)


def kml_stream(batches: Iterable[list[dict]], data_date: str) -> Iterator[str]:
    yield kml_head(data_date)
    for batch in batches:
        yield kml_batch(batch)
    yield KML_TAIL
