"""OpenStreetMap's side of the round trip: what the last import read for each linked camera
(`osm_elements`), the links proposed between an imported camera and a reported one
(`osm_link_proposals`), and each import run (`osm_import_runs`). Migration 0007 explains the design."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.kernel.data.models.days import UTC_TODAY
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import LINK_PROPOSAL_STATUSES, MOUNTS, OWNED_FIELDS, LinkProposalStatus, sql_in


class OsmElement(db.Model):
    """The OpenStreetMap element of a linked camera as the last import read it: its values in our
    vocabulary (to tell what OSM changed since), its version and raw tags (an export's modification keeps
    every tag it does not correct), and the review state of the round trip."""

    __tablename__ = "osm_elements"

    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="CASCADE"), primary_key=True)
    # Overpass `out meta` gives both; DeFlock's array neither (such a camera cannot be corrected in OSM
    # from here: an export skips it and says so).
    osm_version: Mapped[int | None]
    tags: Mapped[dict | None] = mapped_column(JSONB(none_as_null=True))
    lon: Mapped[float] = mapped_column(Float(precision=53), nullable=False)
    lat: Mapped[float] = mapped_column(Float(precision=53), nullable=False)
    vendor: Mapped[str] = mapped_column(nullable=False)
    mount: Mapped[str | None]
    # In the mapper's order (the camera keeps them sorted): an export writes them back in that order.
    directions: Mapped[list[int]] = mapped_column(
        ARRAY(SmallInteger), nullable=False, server_default=text("'{}'")
    )
    operator: Mapped[str | None]
    # Moderated fields OpenStreetMap changed since: a moderator keeps ours or takes theirs.
    differs: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default=text("'{}'"))
    # The UTC day an import declared complete for the camera's area no longer had it; NULL otherwise.
    gone_on: Mapped[date | None] = mapped_column(Date)

    camera = relationship("Camera")

    __table_args__ = (
        CheckConstraint(sql_in("mount", MOUNTS), name="osm_element_mount_known"),
        CheckConstraint(
            "differs <@ ARRAY[" + ", ".join(f"'{name}'" for name in OWNED_FIELDS) + "]::text[]",
            name="osm_element_differs_known",
        ),
    )


class OsmLinkProposal(db.Model):
    """An imported camera within a few metres of a reported one, facing a compatible way: perhaps one
    camera. A moderator merges them (the reported camera takes the OSM identity) or dismisses the link."""

    __tablename__ = "osm_link_proposals"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    osm_camera_id: Mapped[int] = mapped_column(
        ForeignKey("cameras.id", ondelete="CASCADE"), nullable=False, index=True
    )
    report_camera_id: Mapped[int] = mapped_column(
        ForeignKey("cameras.id", ondelete="CASCADE"), nullable=False, index=True
    )
    distance_m: Mapped[float] = mapped_column(Float, nullable=False)
    status: Mapped[str] = mapped_column(nullable=False, server_default=LinkProposalStatus.OPEN.value)
    proposed_on: Mapped[date] = mapped_column(Date, nullable=False, server_default=UTC_TODAY)

    osm_camera = relationship("Camera", foreign_keys=[osm_camera_id])
    report_camera = relationship("Camera", foreign_keys=[report_camera_id])

    __table_args__ = (
        CheckConstraint(sql_in("status", LINK_PROPOSAL_STATUSES), name="osm_link_status_known"),
        UniqueConstraint("osm_camera_id", "report_camera_id", name="osm_link_pair_unique"),
    )


class OsmImportRun(db.Model):
    """One `flask cameras import`: when, which file (its name only), the data's own date, and its counts."""

    __tablename__ = "osm_import_runs"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    source_name: Mapped[str] = mapped_column(nullable=False)
    file_format: Mapped[str] = mapped_column(nullable=False)
    # The date of the data itself (Overpass's `osm3s.timestamp_osm_base`, or `--data-date`); NULL when
    # the file does not say, and then the import's own date stands for it.
    data_date: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # NULL for a partial file; "file" or "bbox W,S,E,N" for an import declared complete.
    complete_scope: Mapped[str | None]
    records: Mapped[int] = mapped_column(nullable=False, server_default="0")
    created: Mapped[int] = mapped_column(nullable=False, server_default="0")
    updated: Mapped[int] = mapped_column(nullable=False, server_default="0")
    unchanged: Mapped[int] = mapped_column(nullable=False, server_default="0")
    skipped: Mapped[int] = mapped_column(nullable=False, server_default="0")
    differs: Mapped[int] = mapped_column(nullable=False, server_default="0")
    agreed: Mapped[int] = mapped_column(nullable=False, server_default="0")
    gone: Mapped[int] = mapped_column(nullable=False, server_default="0")
    linked: Mapped[int] = mapped_column(nullable=False, server_default="0")
    proposed: Mapped[int] = mapped_column(nullable=False, server_default="0")

    @property
    def data_as_of(self) -> datetime:
        return self.data_date or self.imported_at
