"""The moderators' side of the OpenStreetMap round trip: cameras whose moderated fields OpenStreetMap changed
(keep ours or take theirs, per field), cameras gone from OpenStreetMap (confirm the removal with its month, or
keep the camera), and proposed links between an imported camera and a reported one (merge or dismiss). Each
decision locks what it changes, is audited, and flushes; the route commits."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select, text, update

from webapp.cameras.osm_fields import TrackedValues, differing, values_of
from webapp.kernel.data.audit import FieldChange, record_event
from webapp.kernel.data.models import Camera, Flag, OsmElement, OsmLinkProposal, Sighting, User
from webapp.kernel.errors import AlreadyHandled, InvalidField, NotFound
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import (
    OWNED_FIELDS,
    AuditAction,
    CameraSource,
    CameraStatus,
    Limits,
    LinkProposalStatus,
)
from webapp.moderation.camera_corrections import check_version
from webapp.moderation.camera_facts import fields_of_camera, point
from webapp.moderation.locks import lock_camera

DECISIONS = ("keep", "take")


@dataclass(frozen=True)
class DifferingField:
    name: str
    ours: object
    theirs: object


@dataclass(frozen=True)
class CameraVsOsm:
    camera: Camera
    element: OsmElement
    fields: list[DifferingField]


def camera_values(camera: Camera) -> TrackedValues:
    return values_of(fields_of_camera(camera))


def differing_fields(camera: Camera, element: OsmElement) -> list[DifferingField]:
    ours, theirs = camera_values(camera), values_of(element)
    return [DifferingField(name, ours.shown(name), theirs.shown(name)) for name in element.differs]


def cameras_differing(limit: int = Limits.OSM_REVIEW_ROWS) -> list[CameraVsOsm]:
    """Cameras with a moderated field OpenStreetMap changed, oldest camera first."""
    rows = db.session.execute(
        select(Camera, OsmElement)
        .join(OsmElement, OsmElement.camera_id == Camera.id)
        .where(OsmElement.differs != [])
        .order_by(Camera.id)
        .limit(limit)
    ).all()
    return [CameraVsOsm(camera, element, differing_fields(camera, element)) for camera, element in rows]


def cameras_gone(limit: int = Limits.OSM_REVIEW_ROWS) -> list[CameraVsOsm]:
    """Cameras a complete import no longer found in OpenStreetMap, not yet decided, oldest notice first."""
    rows = db.session.execute(
        select(Camera, OsmElement)
        .join(OsmElement, OsmElement.camera_id == Camera.id)
        .where(OsmElement.gone_on.is_not(None), Camera.status != CameraStatus.REMOVED)
        .order_by(OsmElement.gone_on, Camera.id)
        .limit(limit)
    ).all()
    return [CameraVsOsm(camera, element, []) for camera, element in rows]


def open_link_proposals(limit: int = Limits.OSM_REVIEW_ROWS) -> list[OsmLinkProposal]:
    query = (
        select(OsmLinkProposal)
        .join(Camera, Camera.id == OsmLinkProposal.report_camera_id)
        .where(OsmLinkProposal.status == LinkProposalStatus.OPEN, Camera.osm_type.is_(None))
        .order_by(OsmLinkProposal.proposed_on, OsmLinkProposal.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def review_counts() -> dict[str, int]:
    return {
        "differing": db.session.scalar(select(func.count()).where(OsmElement.differs != [])),
        "gone": db.session.scalar(
            select(func.count())
            .select_from(OsmElement)
            .join(Camera, Camera.id == OsmElement.camera_id)
            .where(OsmElement.gone_on.is_not(None), Camera.status != CameraStatus.REMOVED)
        ),
        "links": db.session.scalar(
            select(func.count())
            .select_from(OsmLinkProposal)
            .join(Camera, Camera.id == OsmLinkProposal.report_camera_id)
            .where(OsmLinkProposal.status == LinkProposalStatus.OPEN, Camera.osm_type.is_(None))
        ),
    }


def _element_of(camera: Camera) -> OsmElement:
    element = db.session.scalar(
        select(OsmElement)
        .where(OsmElement.camera_id == camera.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if element is None:
        raise AlreadyHandled(_("Camera %(id)s has no OpenStreetMap element any more.", id=camera.id))
    return element


def _undecided_gone_camera(camera_id: int) -> tuple[Camera, OsmElement]:
    """The camera, locked, that OpenStreetMap no longer has and no moderator has decided on yet, and its
    element."""
    camera = lock_camera(camera_id)
    element = _element_of(camera)
    if element.gone_on is None or camera.status == CameraStatus.REMOVED:
        raise AlreadyHandled(_("Camera %(id)s was already decided.", id=camera.id))
    return camera, element


def decide_differing_field(
    camera_id: int, moderator: User, field: str, decision: str, seen_version: int
) -> Camera:
    """Keep Sightline's value of a field OpenStreetMap changed (an export then proposes it to OSM), or take
    OpenStreetMap's (the field is OSM's again)."""
    if field not in OWNED_FIELDS:
        raise InvalidField("field", _("Unknown field."))
    if decision not in DECISIONS:
        raise InvalidField("decision", _("Keep ours or take theirs."))
    camera = lock_camera(camera_id)
    check_version(camera, seen_version, None)
    element = _element_of(camera)
    if field not in element.differs:
        raise AlreadyHandled(_("This difference was already decided."))
    ours, theirs = camera_values(camera), values_of(element)
    element.differs = [name for name in element.differs if name != field]
    if decision == "keep":
        record_event(
            moderator,
            AuditAction.KEEP_OURS,
            "camera",
            camera.id,
            reason=_("Kept Sightline's %(field)s over OpenStreetMap's (an export proposes it)", field=field),
            changes=[FieldChange(field, theirs.shown(field), ours.shown(field))],
        )
    else:
        _take(camera, element, field)
        camera.moderated_fields = [name for name in camera.moderated_fields if name != field]
        record_event(
            moderator,
            AuditAction.TAKE_OSM,
            "camera",
            camera.id,
            reason=_("Took OpenStreetMap's %(field)s", field=field),
            changes=[FieldChange(field, ours.shown(field), theirs.shown(field))],
        )
    db.session.flush()
    return camera


def _take(camera: Camera, element: OsmElement, field: str) -> None:
    if field == "position":
        camera.geom = point(element.lon, element.lat)
    elif field == "directions":
        camera.directions = sorted(element.directions)
    else:
        setattr(camera, field, getattr(element, field))


def confirm_removal(camera_id: int, moderator: User, month: date | None) -> Camera:
    """A camera gone from OpenStreetMap is gone from the street too: removed, with the month it was taken
    down (the timeline and the removed-cameras export use it). Its history and OSM identity stay."""
    if month is None:
        raise InvalidField(
            "removed_month", _("Give the month the camera was taken down (YYYY-MM)."), "missing_field"
        )
    camera, _element = _undecided_gone_camera(camera_id)
    record_event(
        moderator,
        AuditAction.REMOVE,
        "camera",
        camera.id,
        camera.status,
        CameraStatus.REMOVED,
        _("Gone from OpenStreetMap; taken down in %(month)s", month=month.strftime("%Y-%m")),
        changes=[FieldChange("removed_month", None, month.strftime("%Y-%m"))],
    )
    camera.status = CameraStatus.REMOVED
    camera.removed_month = month
    db.session.flush()
    return camera


def keep_gone_camera(camera_id: int, moderator: User, reason: str | None = None) -> Camera:
    """The camera is still there though OpenStreetMap no longer has it: it stays public, without an OSM
    identity (so a later complete import does not list it again), every field now the moderators'."""
    camera, element = _undecided_gone_camera(camera_id)
    record_event(
        moderator,
        AuditAction.KEEP_CAMERA,
        "camera",
        camera.id,
        reason=reason or _("Still there, though gone from OpenStreetMap"),
        changes=[FieldChange("osm", f"{camera.osm_type}/{camera.osm_id}", None)],
    )
    db.session.delete(element)
    camera.osm_type = camera.osm_id = None
    camera.moderated_fields = list(OWNED_FIELDS)
    db.session.flush()
    return camera


def _locked_proposal(proposal_id: int) -> OsmLinkProposal:
    proposal = db.session.scalar(
        select(OsmLinkProposal)
        .where(OsmLinkProposal.id == proposal_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if proposal is None:
        raise NotFound(_("No such proposed link."))
    if proposal.status != LinkProposalStatus.OPEN:
        raise AlreadyHandled(_("This link was already decided (it is %(status)s).", status=proposal.status))
    return proposal


def merge_link(proposal_id: int, moderator: User) -> Camera:
    """One camera from two: the reported camera keeps its id, reports, photos, flags and history, and takes
    the imported camera's OSM identity, OSM values and confirmations; the imported row goes. Fields where
    the two differ stay ours (moderated: the export proposes them to OpenStreetMap)."""
    proposal = _locked_proposal(proposal_id)
    report_id, osm_id = proposal.report_camera_id, proposal.osm_camera_id
    # Locked in id order, as every path that locks two cameras does, so two merges cannot deadlock.
    locked = {camera_id: lock_camera(camera_id) for camera_id in sorted((report_id, osm_id))}
    report, imported = locked[report_id], locked[osm_id]
    if report.osm_type is not None:
        raise AlreadyHandled(_("Camera %(id)s is already linked to OpenStreetMap.", id=report.id))
    if imported.osm_type is None:
        raise AlreadyHandled(_("Camera %(id)s has no OpenStreetMap identity any more.", id=imported.id))
    element = db.session.get(OsmElement, imported.id)
    theirs = values_of(element) if element is not None else camera_values(imported)
    moderated = differing(camera_values(report), theirs)
    key = (imported.osm_type, imported.osm_id)
    before = {"confirmations": report.confirmations, "osm": None, "source": report.source}
    report.confirmations += imported.confirmations
    for month_field, pick in (("first_reported_month", min), ("last_confirmed_month", max)):
        months = [m for m in (getattr(report, month_field), getattr(imported, month_field)) if m]
        setattr(report, month_field, pick(months) if months else None)
    report.photos_hidden = report.photos_hidden or imported.photos_hidden
    proposal.status = LinkProposalStatus.MERGED
    db.session.flush()
    # The imported camera's own reports and flags, and what OSM said, move to the surviving camera.
    db.session.execute(update(Sighting).where(Sighting.camera_id == imported.id).values(camera_id=report.id))
    db.session.execute(update(Flag).where(Flag.camera_id == imported.id).values(camera_id=report.id))
    db.session.execute(
        text("UPDATE osm_elements SET camera_id = :report, differs = '{}' WHERE camera_id = :imported"),
        {"report": report.id, "imported": imported.id},
    )
    record_event(
        moderator,
        AuditAction.MERGED_INTO,
        "camera",
        imported.id,
        imported.status,
        None,
        _("Merged into camera %(id)s (one camera)", id=report.id),
    )
    db.session.expunge(proposal)
    db.session.delete(imported)
    db.session.flush()
    report.osm_type, report.osm_id = key
    report.source = CameraSource.OSM
    report.moderated_fields = sorted(set(report.moderated_fields) | set(moderated))
    record_event(
        moderator,
        AuditAction.LINK_OSM,
        "camera",
        report.id,
        report.status,
        report.status,
        _("Merged with camera %(id)s, imported from OpenStreetMap", id=imported.id),
        changes=[
            FieldChange("osm", before["osm"], f"{key[0]}/{key[1]}"),
            FieldChange("source", before["source"], CameraSource.OSM.value),
            FieldChange("confirmations", before["confirmations"], report.confirmations),
        ],
    )
    db.session.flush()
    return report


def dismiss_link(proposal_id: int, moderator: User) -> OsmLinkProposal:
    """Two cameras after all: the pair is never proposed again."""
    proposal = _locked_proposal(proposal_id)
    proposal.status = LinkProposalStatus.DISMISSED
    record_event(
        moderator,
        AuditAction.DISMISS_LINK,
        "camera",
        proposal.report_camera_id,
        reason=_("Not the same camera as camera %(id)s (OpenStreetMap)", id=proposal.osm_camera_id),
    )
    db.session.flush()
    return proposal
