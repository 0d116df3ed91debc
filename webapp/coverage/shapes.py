"""Reading the area or route a reporter drew or uploaded: GeoJSON (a geometry, a Feature or a
FeatureCollection), KML or GPX, told apart by content.

No library that keeps state between documents reads them (gpxpy registered every `xmlns:` of a document,
comments included, in lxml's process-wide registry, so each upload made the next one slower). XML goes
through defusedxml's parser (expat: DTDs, entities and external references refused, no network) straight into
the small readers below, which build no tree: they keep the open elements' names and the positions wanted.
Whatever the content, a document's cost is bounded by its size and by limits checked while it is read, before
anything is built from it: its parts (XML tags, JSON arrays and objects: SHAPES_MAX_PARTS, counted in the
bytes before parsing), nesting depth (SHAPES_MAX_DEPTH), positions (vertices of an area, points of a route:
counted first, built only while under the limit) and CPU time (SHAPES_READ_SECONDS).

The result is plain coordinates, (lon, lat) in degrees, every one finite and in range: a polygon is a list of
rings (the first is the outer one), a route a list of lines. Validity, area and length are checked where the
geometry is measured.
"""

import json
import math
import time
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from flask_babel import gettext as _

from webapp.kernel.errors import DomainError, InvalidInput
from webapp.kernel.vocabulary import Limits

Position = tuple[float, float]
Ring = list[Position]
Polygon = list[Ring]
Line = list[Position]


class InvalidGeometry(InvalidInput):
    code = "invalid_geometry"


class UnsupportedDocument(DomainError):
    status = 415
    code = "unsupported_media_type"


class _Reading:
    """What one document may cost: the positions of the wanted kind (counted before they are built), its
    nesting and its time. `area` says what is wanted: polygons (True) or lines (False)."""

    def __init__(self, area: bool):
        self.area = area
        self.limit = Limits.POLYGON_MAX_VERTICES if area else Limits.ROUTE_MAX_POINTS
        self.positions = 0
        # CPU time of this thread: what the content costs, whatever else the machine is doing.
        self.deadline = time.thread_time() + Limits.SHAPES_READ_SECONDS
        self.file_format = ""

    def take(self, count: int) -> bool:
        """Count `count` more positions; whether they are still to be built (False once over the limit)."""
        self.positions += count
        return self.positions <= self.limit

    def check_limit(self) -> None:
        if self.positions <= self.limit:
            return
        if self.area:
            message = _(
                "The area has %(count)d vertices; at most %(limit)d are accepted. Simplify it.",
                count=self.positions,
                limit=self.limit,
            )
        else:
            message = _(
                "The route has %(count)d points; at most %(limit)d are accepted. Simplify the track.",
                count=self.positions,
                limit=self.limit,
            )
        raise InvalidGeometry(message)

    def check_depth(self, depth: int) -> None:
        if depth > Limits.SHAPES_MAX_DEPTH:
            raise InvalidGeometry(
                _(
                    "This %(format)s is nested more than %(limit)d levels deep; no area or route needs that.",
                    format=self.file_format,
                    limit=Limits.SHAPES_MAX_DEPTH,
                )
            )

    def check_time(self) -> None:
        if time.thread_time() > self.deadline:
            raise InvalidGeometry(
                _(
                    "Reading this %(format)s took longer than %(seconds)d seconds. Simplify it and send it "
                    "again.",
                    format=self.file_format,
                    seconds=Limits.SHAPES_READ_SECONDS,
                )
            )


# Positions


def _refuse_constant(name: str):
    raise InvalidGeometry(_("Coordinates must be finite numbers (%(value)s is not).", value=name))


def _out_of_range() -> InvalidGeometry:
    return InvalidGeometry(_("Longitudes run from -180 to 180 and latitudes from -90 to 90 degrees."))


def _position(raw: object) -> Position:
    if not isinstance(raw, list | tuple) or len(raw) < 2:
        raise InvalidGeometry(_("Each position must be [longitude, latitude]."))
    lon, lat = raw[0], raw[1]
    if any(isinstance(value, bool) or not isinstance(value, int | float) for value in (lon, lat)):
        raise InvalidGeometry(_("Coordinates must be numbers."))
    try:
        lon, lat = float(lon), float(lat)
    except OverflowError:  # a whole number of hundreds of digits
        raise _out_of_range() from None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise InvalidGeometry(_("Coordinates must be finite numbers (not NaN or infinite)."))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _out_of_range()
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


# GeoJSON


def _geojson_geometries(document: dict, reading: _Reading) -> list[dict]:
    """The geometries of a GeoJSON object, in order, walked without recursion and to a bounded depth."""
    geometries: list[dict] = []
    stack = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        reading.check_depth(depth)
        reading.check_time()
        kind = node.get("type")
        if kind == "FeatureCollection":
            children = node.get("features")
            if not isinstance(children, list):
                raise InvalidGeometry(_("A FeatureCollection needs a list of features."))
        elif kind == "Feature":
            children = [node.get("geometry")]
        elif kind == "GeometryCollection":
            children = node.get("geometries") or []
            if not isinstance(children, list):
                children = []
        else:
            geometries.append(node)
            continue
        stack.extend((child, depth + 1) for child in reversed(children) if isinstance(child, dict))
    return geometries


def _parts(geometry: dict, single: str, multi: str, message: str) -> list:
    """The coordinates of each part of a `single` or `multi` geometry (none for other kinds)."""
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == single:
        return [coordinates]
    if kind == multi:
        if not isinstance(coordinates, list):
            raise InvalidGeometry(message)
        return coordinates
    return []


def _length(raw: object) -> int:
    return len(raw) if isinstance(raw, list) else 0


def _geojson_shapes(data: bytes, reading: _Reading) -> tuple[list[Polygon], list[Line]]:
    # Each array or object is a Python object once parsed (a 5 MB body of empty arrays would take 130 MB):
    # counted in C first.
    if data.count(b"[") + data.count(b"{") > Limits.SHAPES_MAX_PARTS:
        raise InvalidGeometry(
            _(
                "This GeoJSON has more than %(limit)d arrays and objects; no area or route needs that many. "
                "Simplify it.",
                limit=Limits.SHAPES_MAX_PARTS,
            )
        )
    try:
        # NaN and Infinity are not JSON, but Python's parser would take them.
        document = json.loads(data, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise InvalidGeometry(_("The body is not valid JSON.")) from None
    if not isinstance(document, dict):
        raise InvalidGeometry(_("Expected a GeoJSON geometry, Feature or FeatureCollection."))
    geometries = _geojson_geometries(document, reading)
    if reading.area:
        message = _("A MultiPolygon's coordinates must be a list of polygons.")
        raw_polygons = [part for g in geometries for part in _parts(g, "Polygon", "MultiPolygon", message)]
        reading.take(sum(_length(ring) for part in raw_polygons if isinstance(part, list) for ring in part))
        reading.check_limit()
        return [_polygon(part) for part in raw_polygons], []
    message = _("A MultiLineString's coordinates must be a list of lines.")
    raw_lines = [part for g in geometries for part in _parts(g, "LineString", "MultiLineString", message)]
    reading.take(sum(_length(line) for line in raw_lines))
    reading.check_limit()
    return [], [_positions(line) for line in raw_lines]


# XML: KML and GPX


class _XmlReader:
    """A target for defusedxml's parser: it follows the open elements by local name and keeps only the
    positions wanted. KML: Polygon rings and LineStrings (Placemarks, MultiGeometry and folders at any depth)
    and Google Earth's gx:Track; GPX: track segments and routes."""

    def __init__(self, reading: _Reading):
        self.reading = reading
        self.open: list[str] = []
        self.text: list[str] | None = None
        self.outer: Ring | None = None
        self.inner: list[Ring] = []
        self.polygons: list[Polygon] = []
        self.lines: list[Line] = []
        self.line: Line | None = None

    # The parser's callbacks

    def start(self, tag: str, attributes: dict) -> None:
        name = tag.rsplit("}", 1)[-1]
        if not self.open:
            self._root(name)
        self.reading.check_depth(len(self.open) + 1)
        self.reading.check_time()
        self.open.append(name)
        if self.reading.file_format == "GPX":
            self._gpx_start(name, attributes)
        else:
            self._kml_start(name)

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        name = self.open.pop()
        if self.reading.file_format == "GPX":
            if name in ("trkseg", "rte"):
                self._close_line()
        else:
            self._kml_end(name)

    def close(self) -> tuple[list[Polygon], list[Line]]:
        return self.polygons, self.lines

    # Both

    def _root(self, name: str) -> None:
        tag = name.lower()
        if tag == "kml":
            self.reading.file_format = "KML"
        elif tag == "gpx":
            if self.reading.area:
                raise InvalidGeometry(
                    _("A GPX file holds a route, not an area: send it to /api/v1/coverage/route.")
                )
            self.reading.file_format = "GPX"
        else:
            raise UnsupportedDocument(_("An XML file must be KML or GPX (this one is <%(tag)s>).", tag=tag))

    def _close_line(self) -> None:
        if self.line:
            self.lines.append(self.line)
        self.line = None

    # GPX

    def _gpx_start(self, name: str, attributes: dict) -> None:
        if name in ("trkseg", "rte"):
            self.line = []
        elif name in ("trkpt", "rtept") and self.line is not None and self.reading.take(1):
            try:
                self.line.append(_position((float(attributes["lon"]), float(attributes["lat"]))))
            except (KeyError, ValueError):
                raise InvalidGeometry(
                    _("Each GPX point needs lat and lon attributes in decimal degrees.")
                ) from None

    # KML

    def _kml_start(self, name: str) -> None:
        if name == "Polygon" and self.reading.area:
            self.outer, self.inner = None, []
        elif name == "Track" and not self.reading.area:
            self.line = []
        elif name in ("coordinates", "coord"):
            self.text = []

    def _kml_end(self, name: str) -> None:
        if name in ("coordinates", "coord"):
            text, self.text = "".join(self.text or ()), None
            if name == "coordinates":
                self._kml_coordinates(text.split())
            elif self.line is not None and self.reading.take(1):  # gx:Track's "lon lat alt"
                self.line.append(_kml_position(text.split()))
        elif name == "Polygon" and self.reading.area:
            # Over the limit nothing was built: check_limit() says so once the document is read.
            if self.reading.positions <= self.reading.limit:
                if self.outer is None:
                    raise InvalidGeometry(_("A polygon needs at least one ring."))
                self.polygons.append(_polygon([self.outer, *self.inner]))
            self.outer, self.inner = None, []
        elif name == "Track":
            self._close_line()

    def _kml_coordinates(self, tuples: list[str]) -> None:
        if self.reading.area:
            if "Polygon" not in self.open or "LinearRing" not in self.open:
                return
            if self.reading.take(len(tuples)):
                ring = [_kml_position(item.split(",")) for item in tuples]
                if "outerBoundaryIs" in self.open:
                    self.outer = ring
                else:
                    self.inner.append(ring)
        elif "LineString" in self.open and self.reading.take(len(tuples)):
            self.lines.append([_kml_position(item.split(",")) for item in tuples])


def _kml_position(parts: list[str]) -> Position:
    try:
        return _position((float(parts[0]), float(parts[1])))
    except (IndexError, ValueError):
        raise InvalidGeometry(
            _("KML coordinates are longitude,latitude[,altitude] tuples separated by spaces.")
        ) from None


def _xml_shapes(data: bytes, reading: _Reading) -> tuple[list[Polygon], list[Line]]:
    # Every element needs a "<": counted in C before anything is parsed, so a file of a million empty
    # elements is refused at once instead of spending its SHAPES_READ_SECONDS.
    if data.count(b"<") > Limits.SHAPES_MAX_PARTS:
        raise InvalidGeometry(
            _(
                "This XML file has more than %(limit)d tags; no area or route needs that many. Simplify it.",
                limit=Limits.SHAPES_MAX_PARTS,
            )
        )
    reader = _XmlReader(reading)
    parser = DefusedXMLParser(target=reader, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(data)
        return parser.close()
    except DefusedXmlException:
        raise InvalidGeometry(_("XML with a DTD or entities is not accepted.")) from None
    except ParseError:
        raise InvalidGeometry(_("The file is not well-formed XML.")) from None


# Documents


def _read(data: bytes, reading: _Reading) -> tuple[list[Polygon], list[Line]]:
    """The polygons (an area) or the lines (a route) of a document recognised by its first bytes."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"{":
        reading.file_format = "GeoJSON"
        shapes = _geojson_shapes(data, reading)
    elif start == b"<":
        reading.file_format = "XML"
        shapes = _xml_shapes(data, reading)
    elif data.startswith(b"PK"):
        raise UnsupportedDocument(_("KMZ (zipped KML) is not read: unzip it and send the .kml file inside."))
    else:
        raise UnsupportedDocument(_("Send GeoJSON, KML or GPX."))
    reading.check_limit()
    return shapes


def read_area(data: bytes) -> list[Polygon]:
    """The polygons of a GeoJSON or KML document (every Polygon and MultiPolygon in it)."""
    reading = _Reading(area=True)
    polygons, _lines = _read(data, reading)
    if not polygons:
        raise InvalidGeometry(_("No Polygon or MultiPolygon in this %(format)s.", format=reading.file_format))
    return polygons


def read_route(data: bytes) -> list[Line]:
    """The lines of a GeoJSON, KML or GPX document (LineStrings, MultiLineStrings, GPX tracks and routes),
    with repeated consecutive points dropped."""
    reading = _Reading(area=False)
    _polygons, lines = _read(data, reading)
    routes = []
    for line in lines:
        kept = [position for index, position in enumerate(line) if index == 0 or position != line[index - 1]]
        if len(kept) >= 2:
            routes.append(kept)
    if not routes:
        raise InvalidGeometry(
            _(
                "No route in this %(format)s: a route needs at least two different points.",
                format=reading.file_format,
            )
        )
    return routes
