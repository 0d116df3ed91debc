"""Back to OpenStreetMap: the verified reported cameras OSM does not have yet (new nodes, negative ids) and
the corrections moderators made to OSM nodes (modifications keeping the node's id, version and every tag they
do not correct), in a bbox, as a JOSM file (`.osm`) and as osmChange (`.osc`).

Tags follow DeFlock's: man_made=surveillance, surveillance=public, surveillance:type=ALPR,
surveillance:zone=traffic, camera:type=fixed, camera:mount, direction (degrees joined by ";", the mapper's
order kept), manufacturer and manufacturer:wikidata, operator. Only camera-level facts are written: never a
reporter, a report's date or a photo, and never a demo camera (the SQL function camera_citable). A camera
with an open link proposal (it may be in OSM already) is left out until a moderator decides.
"""

import io
from dataclasses import dataclass, field
from xml.etree import ElementTree

from flask_babel import gettext as _
from sqlalchemy import text

from webapp.cameras.osm_fields import POSITION_DIGITS, TrackedValues, differing, values_of
from webapp.cameras.osm_tags import ALPR_TAGS, direction_tag, manufacturer_tags, osm_mount_tag
from webapp.geo.bbox import BadBbox, BoundingBox
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import CameraSource, Limits, LinkProposalStatus

FORMATS = {"osm": "application/x-osm+xml", "osc": "application/x-osmchange+xml"}
GENERATOR = "Sightline"


@dataclass(frozen=True)
class OsmNode:
    """A node to write: new (negative id, no version) or modified (its id and version)."""

    id: int
    lon: float
    lat: float
    tags: dict[str, str]
    version: int | None = None
    camera_id: int | None = None


@dataclass
class OsmExport:
    new: list[OsmNode] = field(default_factory=list)
    modified: list[OsmNode] = field(default_factory=list)
    # Corrected OSM cameras that cannot go back from here: a way or relation (only nodes are written), or an
    # element whose version and tags no import brought (DeFlock's array has neither).
    not_exportable: int = 0

    @property
    def nodes(self) -> list[OsmNode]:
        return [*self.new, *self.modified]

    def summary(self) -> str:
        return _(
            "%(new)s new cameras, %(modified)s corrections, %(skipped)s corrections that need an import from "
            "Overpass (with `out meta`) first or are not nodes",
            new=len(self.new),
            modified=len(self.modified),
            skipped=self.not_exportable,
        )


def _box(bbox: BoundingBox) -> dict:
    return {"west": bbox.west, "south": bbox.south, "east": bbox.east, "north": bbox.north}


def new_node_tags(values: TrackedValues, mapper_order=()) -> dict[str, str]:
    tags: dict[str, str | None] = {
        **ALPR_TAGS,
        "camera:mount": osm_mount_tag(values.mount),
        "direction": direction_tag(list(values.directions), mapper_order),
        **manufacturer_tags(values.vendor),
        "operator": values.operator,
    }
    return {key: value for key, value in tags.items() if value is not None}


def corrected_tags(original: dict, ours: TrackedValues, theirs: TrackedValues, fields: list[str]) -> dict:
    """The element's tags with the corrected fields written over them (a tag of a field set to unknown is
    deleted); every other tag stays as the mapper wrote it."""
    tags: dict[str, str | None] = dict(original)
    if "vendor" in fields:
        tags.update(manufacturer_tags(ours.vendor))
    if "directions" in fields:
        key = "camera:direction" if "camera:direction" in tags else "direction"
        tags[key] = direction_tag(list(ours.directions), theirs.directions)
    if "mount" in fields:
        tags["camera:mount"] = osm_mount_tag(ours.mount)
    if "operator" in fields:
        tags["operator"] = ours.operator
    return {key: value for key, value in tags.items() if value is not None}


def build_export(bbox: BoundingBox) -> OsmExport:
    """What to send back to OpenStreetMap inside `bbox`; BadBbox (400) past OSM_EXPORT_MAX_NODES."""
    export = OsmExport()
    values = {**_box(bbox), "report": CameraSource.REPORT.value, "open": LinkProposalStatus.OPEN.value}
    new_rows = db.session.execute(
        text(
            """
            SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat, vendor, mount, directions, operator
            FROM cameras
            WHERE camera_citable(status, demo) AND source = :report AND osm_type IS NULL
              AND geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326)
              AND NOT EXISTS (SELECT 1 FROM osm_link_proposals p
                              WHERE p.report_camera_id = cameras.id AND p.status = :open)
            ORDER BY id LIMIT :limit
            """
        ),
        {**values, "limit": Limits.OSM_EXPORT_MAX_NODES + 1},
    ).all()
    for index, row in enumerate(new_rows, start=1):
        ours = values_of(row)
        export.new.append(OsmNode(-index, ours.lon, ours.lat, new_node_tags(ours), camera_id=row.id))
    corrected = db.session.execute(
        text(
            """
            SELECT c.id, c.osm_type, c.osm_id, c.moderated_fields,
                   ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.vendor, c.mount, c.directions, c.operator,
                   e.osm_version, e.tags, e.lon AS e_lon, e.lat AS e_lat, e.vendor AS e_vendor,
                   e.mount AS e_mount, e.directions AS e_directions, e.operator AS e_operator
            FROM cameras c JOIN osm_elements e ON e.camera_id = c.id
            WHERE camera_citable(c.status, c.demo)
              AND c.moderated_fields <> '{}' AND e.gone_on IS NULL
              AND c.geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326)
            ORDER BY c.id
            """
        ),
        values,
    ).all()
    for row in corrected:
        ours = values_of(row)
        theirs = TrackedValues(
            row.e_lon, row.e_lat, row.e_vendor, row.e_mount, tuple(row.e_directions), row.e_operator
        )
        fields = differing(ours, theirs, row.moderated_fields)
        if not fields:
            continue
        if row.osm_type != "node" or row.osm_version is None or row.tags is None:
            export.not_exportable += 1
            continue
        lon, lat = (ours.lon, ours.lat) if "position" in fields else (theirs.lon, theirs.lat)
        tags = corrected_tags(row.tags, ours, theirs, fields)
        export.modified.append(OsmNode(row.osm_id, lon, lat, tags, version=row.osm_version, camera_id=row.id))
    if len(export.nodes) > Limits.OSM_EXPORT_MAX_NODES:
        raise BadBbox(
            _(
                "More than %(limit)d cameras to send to OpenStreetMap in this area (OpenStreetMap takes at "
                "most that many in one changeset): narrow the bbox.",
                limit=Limits.OSM_EXPORT_MAX_NODES,
            )
        )
    return export


def _coordinate(value: float) -> str:
    return f"{round(value, POSITION_DIGITS):.{POSITION_DIGITS}f}"


def _node_element(node: OsmNode, josm: bool) -> ElementTree.Element:
    attributes = {"id": str(node.id)}
    if josm:
        # JOSM marks new and changed objects alike with action="modify"; new ones have negative ids.
        attributes.update(action="modify", visible="true")
        if node.version is not None:
            attributes["version"] = str(node.version)
    else:
        attributes["version"] = str(node.version if node.version is not None else 0)
    attributes.update(lat=_coordinate(node.lat), lon=_coordinate(node.lon))
    element = ElementTree.Element("node", attributes)
    for key in sorted(node.tags):
        ElementTree.SubElement(element, "tag", {"k": key, "v": node.tags[key]})
    return element


def josm_file(export: OsmExport) -> bytes:
    """A JOSM `.osm` file: open it in JOSM, review every node, then upload (see the README)."""
    root = ElementTree.Element("osm", {"version": "0.6", "generator": GENERATOR})
    for node in export.nodes:
        root.append(_node_element(node, josm=True))
    return _serialised(root)


def osmchange_file(export: OsmExport) -> bytes:
    """osmChange (`.osc`, OSM API 0.6): <create> for new nodes, <modify> for corrections."""
    root = ElementTree.Element("osmChange", {"version": "0.6", "generator": GENERATOR})
    for action, nodes in (("create", export.new), ("modify", export.modified)):
        if nodes:
            block = ElementTree.SubElement(root, action)
            for node in nodes:
                block.append(_node_element(node, josm=False))
    return _serialised(root)


def _serialised(root: ElementTree.Element) -> bytes:
    ElementTree.indent(root)
    buffer = io.BytesIO()
    ElementTree.ElementTree(root).write(buffer, encoding="UTF-8", xml_declaration=True)
    buffer.write(b"\n")
    return buffer.getvalue()


WRITERS = {"osm": josm_file, "osc": osmchange_file}
