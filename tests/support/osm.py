"""OpenStreetMap files as Overpass would answer (`[out:json]; ... out meta center;`), and reading back what
Sightline exports to OpenStreetMap."""

import json
from pathlib import Path

from lxml import etree

DATA_DATE = "2026-04-12T06:00:00Z"


def alpr_node(osm_id: int, lat: float, lon: float, tags: dict | None = None, version: int = 1) -> dict:
    """An ALPR node as Overpass answers it with `out meta`, DeFlock's base tags plus `tags`."""
    base = {"man_made": "surveillance", "surveillance": "public", "surveillance:type": "ALPR"}
    return {
        "type": "node",
        "id": osm_id,
        "lat": lat,
        "lon": lon,
        "version": version,
        "tags": {**base, **(tags or {})},
    }


def overpass_file(path: Path, *elements, remark: str | None = None) -> Path:
    document = {
        "version": 0.6,
        "generator": "Overpass API",
        "osm3s": {"timestamp_osm_base": DATA_DATE, "copyright": "ODbL"},
        "elements": list(elements),
    }
    if remark:
        document["remark"] = remark
    path.write_text(json.dumps(document))
    return path


# Our own output, parsed without entities or network (it is not an uploaded file, but no XML is parsed
# with entity expansion here).
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def parse_xml(data: bytes):
    return etree.fromstring(data, SAFE_PARSER)


def nodes_of(data: bytes) -> list[dict]:
    """Each <node> of a JOSM or osmChange file: its attributes, its tags, and its block (create/modify)."""
    root = parse_xml(data)
    found = []
    for node in root.iter("node"):
        parent = node.getparent().tag
        found.append(
            {
                **dict(node.attrib),
                "block": parent,
                "tags": {tag.get("k"): tag.get("v") for tag in node.iter("tag")},
            }
        )
    return found


def as_uploaded(data: bytes, first_new_id: int) -> list[dict]:
    """The Overpass elements OSM would answer once the JOSM file is uploaded: new nodes get ids, every node
    its next version."""
    elements = []
    next_id = first_new_id
    for node in nodes_of(data):
        osm_id, version = int(node["id"]), int(node.get("version") or 0)
        if osm_id < 0:
            osm_id, next_id = next_id, next_id + 1
        element = {"type": "node", "id": osm_id, "lat": float(node["lat"]), "lon": float(node["lon"])}
        elements.append({**element, "version": version + 1, "tags": node["tags"]})
    return elements
