"""What an OpenStreetMap import does besides upserting, so that nothing anyone did is lost (issue 12):

- a reported camera uploaded from Sightline's export comes back with an OSM id: it takes that identity
  instead of becoming a second camera (`link_uploaded_cameras`);
- a field a moderator set stays ours; when OSM changed it since the last import the camera is listed as
  differing for a moderator to keep ours or take theirs, and when OSM now says what we say the field is
  OSM's again (`reconcile_moderated_fields`);
- what OSM said is kept per camera (`store_osm_values`, table osm_elements);
- an OSM camera a few metres from a reported one, facing a compatible way, is proposed as the same camera
  (`propose_links`);
- an import declared complete for an area queues the OSM cameras there that the file no longer has as gone
  (`mark_gone`); a partial file never does.

Each works on the transaction's staged rows (`osm_incoming`, webapp.cameras.osm_import) with set-based SQL;
the few cameras a moderator touched are decided row by row. System actions are written to the audit log.
"""

from dataclasses import dataclass

from sqlalchemy import column, exists, func, not_, select, table, text

from webapp.camera_fields.directions import COMPATIBLE_DIRECTION_DEGREES
from webapp.cameras.osm_fields import TrackedValues, same, values_of
from webapp.cameras.osm_files import CameraFile
from webapp.geo.bbox import BoundingBox
from webapp.kernel.data.audit import FieldChange, record_event
from webapp.kernel.data.models.camera import Camera
from webapp.kernel.data.models.osm import OsmElement
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AuditAction, CameraSource, CameraStatus, Limits

# A node uploaded from our export stands where we put it (seven decimals: about a centimetre).
UPLOADED_POSITION_M = 0.5
# More gone cameras than this share of an area's OSM cameras (and more than MANY_GONE_FLOOR) looks like a
# failed download, not a month of mapping: refused unless the operator insists.
MANY_GONE_SHARE = 0.10
MANY_GONE_FLOOR = 100
# Degrees of latitude or longitude (up to about 78 degrees north or south) that surely hold a radius of
# metres: the index's box test before the exact geography distance.
METRES_PER_DEGREE_FLOOR = 20_000


OSM_CHANGED_OURS = "OpenStreetMap changed fields a moderator had set (ours kept until a moderator decides)"


class ImportRefused(ValueError):
    """The import was refused before anything was written (the message says why)."""


@dataclass(frozen=True)
class Completeness:
    """An import declared complete: for the whole file, or for a bbox."""

    bbox: BoundingBox | None = None

    def describe(self) -> str:
        return f"bbox {self.bbox.as_param()}" if self.bbox else "file"


def check_complete_file(camera_file: CameraFile, source_name: str) -> None:
    if camera_file.partial_because:
        raise ImportRefused(
            f"{source_name} is partial (Overpass says: {camera_file.partial_because}); "
            "it cannot be imported as complete"
        )


COMPATIBLE_SQL = f"""(
    cardinality({{a}}.directions) = 0 OR cardinality({{b}}.directions) = 0 OR EXISTS (
        SELECT 1 FROM unnest({{a}}.directions) AS x(d), unnest({{b}}.directions) AS y(d)
        WHERE least(abs(x.d - y.d), 360 - abs(x.d - y.d)) <= {COMPATIBLE_DIRECTION_DEGREES}
    )
)"""  # noqa: S608 (table aliases and fragments of this module; values bound)


def link_uploaded_cameras() -> int:
    """Reported cameras that come back from OpenStreetMap (same place to the centimetre, same vendor, same
    directions: the node our export proposed, uploaded) take their OSM identity; how many."""
    rows = db.session.execute(
        text(
            """
            SELECT DISTINCT ON (c.id) c.id, i.osm_type, i.osm_id,
                   ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.vendor, c.mount, c.directions, c.operator,
                   i.lon AS i_lon, i.lat AS i_lat, i.vendor AS i_vendor, i.mount AS i_mount,
                   i.directions AS i_directions, i.operator AS i_operator
            FROM osm_incoming i
            JOIN cameras c ON c.osm_type IS NULL AND c.source = :report AND NOT c.demo
                AND c.geom && ST_Expand(ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326), 0.0001)
                AND ST_DWithin(CAST(c.geom AS geography),
                               CAST(ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326) AS geography), :metres)
                AND c.vendor = i.vendor AND c.directions <@ i.directions AND c.directions @> i.directions
            WHERE NOT EXISTS (SELECT 1 FROM cameras k WHERE k.osm_type = i.osm_type AND k.osm_id = i.osm_id)
            ORDER BY c.id, i.osm_type, i.osm_id
            """
        ),
        {"report": CameraSource.REPORT.value, "metres": UPLOADED_POSITION_M},
    ).all()
    taken: set[tuple[str, int]] = set()
    linked = 0
    for row in rows:
        if (row.osm_type, row.osm_id) in taken:
            continue
        taken.add((row.osm_type, row.osm_id))
        ours = values_of(row)
        theirs = TrackedValues(
            row.i_lon, row.i_lat, row.i_vendor, row.i_mount, tuple(row.i_directions), row.i_operator
        )
        # The mapper may have adjusted the node while uploading it: OSM's values then win (the upsert
        # applies them, the field being OSM's), and the history keeps ours beside them.
        adjusted = [name for name in ("position", "mount", "operator") if not same(name, ours, theirs)]
        db.session.execute(
            text(
                "UPDATE cameras SET osm_type = :osm_type, osm_id = :osm_id, source = :osm, "
                "confirmations = confirmations + 1, moderated_fields = '{}', "
                "updated_at = now() WHERE id = :id AND osm_type IS NULL"
            ),
            {
                "osm_type": row.osm_type,
                "osm_id": row.osm_id,
                "osm": CameraSource.OSM.value,
                "id": row.id,
            },
        )
        record_event(
            None,
            AuditAction.LINK_OSM,
            "camera",
            row.id,
            reason=f"uploaded to OpenStreetMap as {row.osm_type} {row.osm_id} (from Sightline's export)",
            changes=[
                FieldChange("osm", None, f"{row.osm_type}/{row.osm_id}"),
                FieldChange("source", CameraSource.REPORT.value, CameraSource.OSM.value),
                *(FieldChange(name, ours.shown(name), theirs.shown(name)) for name in adjusted),
            ],
        )
        linked += 1
    return linked


def reconcile_moderated_fields() -> tuple[dict[int, list[str]], int, int]:
    """For each staged camera with moderated fields: the fields OSM changed since the last import (listed as
    differing) and those OSM now agrees with (OSM's again). Returns the differing fields by camera (to store
    with OSM's values), how many cameras newly differ, and how many now agree."""
    rows = db.session.execute(
        text(
            """
            SELECT c.id, c.moderated_fields, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.vendor, c.mount,
                   c.directions, c.operator,
                   i.lon AS i_lon, i.lat AS i_lat, i.vendor AS i_vendor, i.mount AS i_mount,
                   i.directions AS i_directions, i.operator AS i_operator,
                   e.camera_id IS NOT NULL AS known, e.lon AS e_lon, e.lat AS e_lat, e.vendor AS e_vendor,
                   e.mount AS e_mount, e.directions AS e_directions, e.operator AS e_operator,
                   coalesce(e.differs, '{}') AS differs
            FROM osm_incoming i
            JOIN cameras c ON c.osm_type = i.osm_type AND c.osm_id = i.osm_id
            LEFT JOIN osm_elements e ON e.camera_id = c.id
            WHERE c.moderated_fields <> '{}'
            ORDER BY c.id
            """
        )
    ).all()
    differs_by_camera: dict[int, list[str]] = {}
    newly_differing = agreeing = 0
    for row in rows:
        ours = values_of(row)
        theirs = TrackedValues(
            row.i_lon, row.i_lat, row.i_vendor, row.i_mount, tuple(row.i_directions), row.i_operator
        )
        before = (
            TrackedValues(
                row.e_lon, row.e_lat, row.e_vendor, row.e_mount, tuple(row.e_directions), row.e_operator
            )
            if row.known
            else None
        )
        agreed = [name for name in row.moderated_fields if same(name, ours, theirs)]
        changed = [
            name
            for name in row.moderated_fields
            if name not in agreed and (before is None or not same(name, theirs, before))
        ]
        differs = [
            name
            for name in row.moderated_fields
            if name not in agreed and (name in row.differs or name in changed)
        ]
        differs_by_camera[row.id] = differs
        if agreed:
            agreeing += 1
            db.session.execute(
                text("UPDATE cameras SET moderated_fields = :kept WHERE id = :id"),
                {"kept": [name for name in row.moderated_fields if name not in agreed], "id": row.id},
            )
            record_event(
                None,
                AuditAction.OSM_AGREES,
                "camera",
                row.id,
                reason="OpenStreetMap now has the moderators' "
                + ", ".join(agreed)
                + ": OpenStreetMap's again",
            )
        if changed:
            newly_differing += 1
            record_event(
                None,
                AuditAction.OSM_DIFFERS,
                "camera",
                row.id,
                reason=OSM_CHANGED_OURS,
                changes=[FieldChange(name, ours.shown(name), theirs.shown(name)) for name in changed],
            )
    return differs_by_camera, newly_differing, agreeing


def store_osm_values(differs_by_camera: dict[int, list[str]]) -> None:
    """Keep what OSM said for every staged camera (a camera back in the file is no longer gone)."""
    db.session.execute(
        text(
            """
            INSERT INTO osm_elements (camera_id, osm_version, tags, lon, lat, vendor, mount, directions,
                                      operator, gone_on)
            SELECT c.id, i.osm_version, i.tags, i.lon, i.lat, i.vendor, i.mount, i.mapper_directions,
                   i.operator, NULL
            FROM osm_incoming i JOIN cameras c ON c.osm_type = i.osm_type AND c.osm_id = i.osm_id
            ORDER BY c.id
            ON CONFLICT (camera_id) DO UPDATE SET
                osm_version = EXCLUDED.osm_version, tags = EXCLUDED.tags, lon = EXCLUDED.lon,
                lat = EXCLUDED.lat, vendor = EXCLUDED.vendor, mount = EXCLUDED.mount,
                directions = EXCLUDED.directions, operator = EXCLUDED.operator, gone_on = NULL
            WHERE (osm_elements.osm_version, osm_elements.tags, osm_elements.lon, osm_elements.lat,
                   osm_elements.vendor, osm_elements.mount, osm_elements.directions, osm_elements.operator,
                   osm_elements.gone_on)
                  IS DISTINCT FROM
                  (EXCLUDED.osm_version, EXCLUDED.tags, EXCLUDED.lon, EXCLUDED.lat, EXCLUDED.vendor,
                   EXCLUDED.mount, EXCLUDED.directions, EXCLUDED.operator, NULL::date)
            """
        )
    )
    for camera_id, differs in differs_by_camera.items():
        db.session.execute(
            text("UPDATE osm_elements SET differs = :differs WHERE camera_id = :id AND differs <> :differs"),
            {"differs": differs, "id": camera_id},
        )


def propose_links() -> int:
    """Pairs of a public OSM camera and a reported one without OSM identity, within OSM_LINK_RADIUS_M and
    facing compatible ways, not proposed before; how many were proposed now."""
    rows = db.session.execute(
        text(
            f"""
            INSERT INTO osm_link_proposals (osm_camera_id, report_camera_id, distance_m)
            SELECT o.id, r.id, ST_Distance(CAST(o.geom AS geography), CAST(r.geom AS geography))
            FROM cameras r
            JOIN cameras o ON o.osm_type IS NOT NULL AND camera_citable(o.status, o.demo)
                AND o.geom && ST_Expand(r.geom, :degrees)
                AND ST_DWithin(CAST(o.geom AS geography), CAST(r.geom AS geography), :metres)
            WHERE r.osm_type IS NULL AND r.source = :report AND NOT r.demo
              AND r.status IN (:verified, :hidden)
              AND {COMPATIBLE_SQL.format(a="o", b="r")}
            ORDER BY o.id, r.id
            ON CONFLICT (osm_camera_id, report_camera_id) DO NOTHING
            RETURNING id
            """  # noqa: S608 (table aliases and fragments of this module; values bound)
        ),
        {
            "verified": CameraStatus.VERIFIED.value,
            "hidden": CameraStatus.HIDDEN.value,
            "report": CameraSource.REPORT.value,
            "metres": Limits.OSM_LINK_RADIUS_M,
            "degrees": Limits.OSM_LINK_RADIUS_M / METRES_PER_DEGREE_FLOOR,
        },
    ).all()
    return len(rows)


def mark_gone(complete: Completeness, source_name: str, allow_many: bool = False) -> int:
    """OSM cameras in the complete area (where OSM last had them) that the file no longer has: queued as gone
    for a moderator, never removed. Refuses (ImportRefused) a share that looks like a failed download."""
    elements, cameras = OsmElement.__table__, Camera.__table__
    # The import's staging table (osm_import), temporary: not in the models.
    incoming = table("osm_incoming", column("osm_type"), column("osm_id"))
    linked = elements.join(cameras, cameras.c.id == elements.c.camera_id)
    in_area = [cameras.c.osm_type.is_not(None), cameras.c.status != CameraStatus.REMOVED]
    if complete.bbox:
        box = complete.bbox
        in_area += [elements.c.lon.between(box.west, box.east), elements.c.lat.between(box.south, box.north)]
    area_total = db.session.scalar(select(func.count()).select_from(linked).where(*in_area))
    still_there = exists().where(
        incoming.c.osm_type == cameras.c.osm_type, incoming.c.osm_id == cameras.c.osm_id
    )
    gone_ids = db.session.scalars(
        select(cameras.c.id)
        .select_from(linked)
        .where(*in_area, elements.c.gone_on.is_(None), not_(still_there))
        .order_by(cameras.c.id)
    ).all()
    if len(gone_ids) > max(MANY_GONE_FLOOR, MANY_GONE_SHARE * area_total) and not allow_many:
        raise ImportRefused(
            f"{len(gone_ids):,} of the {area_total:,} OpenStreetMap cameras in the area are not in "
            f"{source_name}: "
            "that looks like a failed or partial download. Nothing was imported; check the file, or pass "
            "--allow-many-gone to queue them all for review"
        )
    if gone_ids:
        db.session.execute(
            text(
                "UPDATE osm_elements SET gone_on = (now() AT TIME ZONE 'UTC')::date "
                "WHERE camera_id = ANY(:ids)"
            ),
            {"ids": list(gone_ids)},
        )
        db.session.execute(
            text(
                "INSERT INTO moderation_events (action, target_type, target_id, reason) "
                "SELECT :action, 'camera', id, :reason FROM unnest(CAST(:ids AS bigint[])) AS id"
            ),
            {
                "action": AuditAction.OSM_GONE,
                "ids": list(gone_ids),
                "reason": f"not in {source_name}, an import declared complete for its {complete.describe()}",
            },
        )
    return len(gone_ids)
