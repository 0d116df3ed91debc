"""Reading the area or route a reporter drew or uploaded: GeoJSON (a geometry, a Feature or a
FeatureCollection), KML (fastkml) or GPX (gpxpy), told apart by content. XML is parsed by defusedxml first,
with DTDs, entities and external references refused, so neither library ever sees a "billion laughs" or an
external entity; only then is the checked text handed to them.

The result is plain coordinates, (lon, lat) in degrees, every one finite and in range: a polygon is a list of
rings (the first is the outer one), a route a list of lines. Limits (vertices, points) are checked here, the
rest (validity, area, length) where the geometry is measured.
"""

import json
import math
import warnings
from collections.abc import Iterator

import defusedxml.ElementTree as safe_xml
import gpxpy
import gpxpy.gpx
from defusedxml import DefusedXmlException
from flask_babel import gettext as _

from webapp.kernel.errors import DomainError, InvalidInput
from webapp.kernel.vocabulary import Limits

with warnings.catch_warnings():
    # fastkml warns once that lxml (only used for pretty printing) is absent.
    warnings.simplefilter("ignore", UserWarning)
    from fastkml import kml as fastkml

Position = tuple[float, float]
Ring = list[Position]
Polygon = list[Ring]
Line = list[Position]

KML_NAMESPACE = "{http://www.opengis.net/kml/2.2}"


class InvalidGeometry(InvalidInput):
    code = "invalid_geometry"


class UnsupportedDocument(DomainError):
    status = 415
    code = "unsupported_media_type"


def _refuse_constant(name: str):
    raise InvalidGeometry(_("Coordinates must be finite numbers (%(value)s is not).", value=name))


def _geojson(data: bytes) -> dict:
    try:
        # NaN and Infinity are not JSON, but Python's parser would take them.
        document = json.loads(data, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise InvalidGeometry(_("The body is not valid JSON.")) from None
    if not isinstance(document, dict):
        raise InvalidGeometry(_("Expected a GeoJSON geometry, Feature or FeatureCollection."))
    return document


def _geojson_geometries(document: dict) -> Iterator[dict]:
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise InvalidGeometry(_("A FeatureCollection needs a list of features."))
        for feature in features:
            if isinstance(feature, dict):
                yield from _geojson_geometries(feature)
    elif kind == "Feature":
        geometry = document.get("geometry")
        if isinstance(geometry, dict):
            yield from _geojson_geometries(geometry)
    elif kind == "GeometryCollection":
        for geometry in document.get("geometries") or []:
            if isinstance(geometry, dict):
                yield from _geojson_geometries(geometry)
    else:
        yield document


def _xml_root(data: bytes):
    try:
        return safe_xml.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InvalidGeometry(_("XML with a DTD or entities is not accepted.")) from None
    except safe_xml.ParseError:
        raise InvalidGeometry(_("The file is not well-formed XML.")) from None


def _kml_geometries(root) -> Iterator[dict]:
    document = fastkml.KML.class_from_element(ns=KML_NAMESPACE, name_spaces=None, element=root, strict=False)

    def walk(node) -> Iterator[dict]:
        for child in getattr(node, "features", None) or []:
            yield from walk(child)
        geometry = getattr(node, "geometry", None)
        if geometry is not None:
            yield from _geojson_geometries(dict(geometry.__geo_interface__))

    yield from walk(document)


def _gpx_lines(data: bytes) -> list[Line]:
    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig", errors="strict"))
    except (UnicodeDecodeError, gpxpy.gpx.GPXException, ValueError):
        raise InvalidGeometry(_("The file is not a GPX file gpxpy can read.")) from None
    lines = [
        [(point.longitude, point.latitude) for point in segment.points]
        for track in gpx.tracks
        for segment in track.segments
    ]
    lines += [[(point.longitude, point.latitude) for point in route.points] for route in gpx.routes]
    return [line for line in lines if line]


def _document_geometries(data: bytes) -> tuple[str, list[dict], list[Line]]:
    """(format, GeoJSON-like geometries, GPX lines) of a document recognised by its first bytes."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"{":
        return "GeoJSON", list(_geojson_geometries(_geojson(data))), []
    if start == b"<":
        root = _xml_root(data)
        tag = root.tag.rsplit("}", 1)[-1].lower()
        if tag == "kml":
            return "KML", list(_kml_geometries(root)), []
        if tag == "gpx":
            return "GPX", [], _gpx_lines(data)
        raise UnsupportedDocument(_("An XML file must be KML or GPX (this one is <%(tag)s>).", tag=tag))
    if data.startswith(b"PK"):
        raise UnsupportedDocument(_("KMZ (zipped KML) is not read: unzip it and send the .kml file inside."))
    raise UnsupportedDocument(_("Send GeoJSON, KML or GPX."))


def _position(raw: object) -> Position:
    if not isinstance(raw, list | tuple) or len(raw) < 2:
        raise InvalidGeometry(_("Each position must be [longitude, latitude]."))
    lon, lat = raw[0], raw[1]
    if any(isinstance(value, bool) or not isinstance(value, int | float) for value in (lon, lat)):
        raise InvalidGeometry(_("Coordinates must be numbers."))
    lon, lat = float(lon), float(lat)
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise InvalidGeometry(_("Coordinates must be finite numbers (not NaN or infinite)."))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidGeometry(_("Longitudes run from -180 to 180 and latitudes from -90 to 90 degrees."))
    return lon, lat


def _positions(raw: object) -> list[Position]:
    if not isinstance(raw, list | tuple):
        raise InvalidGeometry(_("Coordinates must be a list of positions."))
    return [_position(item) for item in raw]


def _polygon(raw: object) -> Polygon:
    if not isinstance(raw, list | tuple) or not raw:
        raise InvalidGeometry(_("A polygon needs at least one ring."))
    rings = [_positions(ring) for ring in raw]
    for ring in rings:
        if len(ring) < 4 or ring[0] != ring[-1]:
            raise InvalidGeometry(
                _("Each ring of a polygon needs at least 4 positions, the last the same as the first.")
            )
    return rings


def read_area(data: bytes) -> list[Polygon]:
    """The polygons of a GeoJSON or KML document (every Polygon and MultiPolygon in it)."""
    file_format, geometries, lines = _document_geometries(data)
    if lines:
        raise InvalidGeometry(_("A GPX file holds a route, not an area: send it to /api/v1/coverage/route."))
    polygons: list[Polygon] = []
    for geometry in geometries:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons.append(_polygon(geometry.get("coordinates")))
        elif kind == "MultiPolygon":
            parts = geometry.get("coordinates")
            if not isinstance(parts, list | tuple):
                raise InvalidGeometry(_("A MultiPolygon's coordinates must be a list of polygons."))
            polygons.extend(_polygon(part) for part in parts)
    if not polygons:
        raise InvalidGeometry(_("No Polygon or MultiPolygon in this %(format)s.", format=file_format))
    vertices = sum(len(ring) for polygon in polygons for ring in polygon)
    if vertices > Limits.POLYGON_MAX_VERTICES:
        raise InvalidGeometry(
            _(
                "The area has %(count)d vertices; at most %(limit)d are accepted. Simplify it.",
                count=vertices,
                limit=Limits.POLYGON_MAX_VERTICES,
            )
        )
    return polygons


def read_route(data: bytes) -> list[Line]:
    """The lines of a GeoJSON, KML or GPX document (LineStrings, MultiLineStrings, GPX tracks and routes),
    with repeated consecutive points dropped."""
    file_format, geometries, lines = _document_geometries(data)
    raw_lines: list[list[Position]] = [_positions(line) for line in lines]
    for geometry in geometries:
        kind = geometry.get("type")
        if kind == "LineString":
            raw_lines.append(_positions(geometry.get("coordinates")))
        elif kind == "MultiLineString":
            parts = geometry.get("coordinates")
            if not isinstance(parts, list | tuple):
                raise InvalidGeometry(_("A MultiLineString's coordinates must be a list of lines."))
            raw_lines.extend(_positions(part) for part in parts)
    points = sum(len(line) for line in raw_lines)
    if points > Limits.ROUTE_MAX_POINTS:
        raise InvalidGeometry(
            _(
                "The route has %(count)d points; at most %(limit)d are accepted. Simplify the track.",
                count=points,
                limit=Limits.ROUTE_MAX_POINTS,
            )
        )
    routes = []
    for line in raw_lines:
        kept = [position for index, position in enumerate(line) if index == 0 or position != line[index - 1]]
        if len(kept) >= 2:
            routes.append(kept)
    if not routes:
        raise InvalidGeometry(
            _("No route in this %(format)s: a route needs at least two different points.", format=file_format)
        )
    return routes
