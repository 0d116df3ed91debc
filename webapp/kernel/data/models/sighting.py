"""A sighting: one report of a camera by one person. Never public as such; see PRODUCT.md's threat model."""

from datetime import date

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, SmallInteger, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.kernel.data.models.days import UTC_TODAY
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import MOUNTS, SIGHTING_STATUSES, Limits, SightingStatus, sql_in


class Sighting(db.Model):
    __tablename__ = "sightings"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # The camera this sighting confirms: proposed by the submitter ("this is that camera") while pending,
    # set by the moderator on verify or merge.
    camera_id: Mapped[int | None] = mapped_column(ForeignKey("cameras.id", ondelete="SET NULL"), index=True)
    # Where the camera stands (the pin), never where the submitter stood.
    geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    vendor: Mapped[str] = mapped_column(nullable=False, server_default="unknown")
    mount: Mapped[str | None]
    directions: Mapped[list[int]] = mapped_column(
        ARRAY(SmallInteger), nullable=False, server_default=text("'{}'")
    )
    operator: Mapped[str | None]
    notes: Mapped[str | None]
    observed_month: Mapped[date | None]
    status: Mapped[str] = mapped_column(nullable=False, server_default=SightingStatus.PENDING.value)
    reject_reason: Mapped[str | None]
    # SHA-256 of the receipt secret handed to the submitter; the secret itself is never stored.
    receipt_hash: Mapped[str] = mapped_column(nullable=False, unique=True)
    submitter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The UTC day the report arrived, never its time: a person photographing a camera is probably being read
    # by it, so the minute of a report could name them (PRODUCT.md's threat model). Within a day the id
    # orders reports. Coarsened to a month on any public surface.
    reported_on: Mapped[date] = mapped_column(Date, nullable=False, server_default=UTC_TODAY)
    # A demo report of `flask cameras seed-demo-reports` (something to moderate on a fresh install): verified,
    # it becomes a demo camera, which nothing counts.
    demo: Mapped[bool] = mapped_column(nullable=False, server_default=text("false"))
    version: Mapped[int] = mapped_column(nullable=False, server_default="1")

    photos = relationship(
        "Photo", back_populates="sighting", cascade="all, delete-orphan", order_by="Photo.id"
    )

    @property
    def is_pending(self) -> bool:
        return self.status == SightingStatus.PENDING

    @property
    def reported_month(self) -> date:
        """The month the report arrived (the only precision any page shows of its arrival)."""
        return self.reported_on.replace(day=1)

    @property
    def month(self) -> date:
        """The month the camera was seen: the one the submitter gave, else the month of the report."""
        return self.observed_month or self.reported_month

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # migration 0019
    __table_args__ = (
        CheckConstraint(sql_in("status", SIGHTING_STATUSES), name="sighting_status_known"),
        CheckConstraint(sql_in("mount", MOUNTS), name="sighting_mount_known"),
        CheckConstraint("vendor ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="sighting_vendor_slug"),
        CheckConstraint(
            "ST_X(geom) BETWEEN -180 AND 180 AND ST_Y(geom) BETWEEN -90 AND 90",
            name="sighting_lonlat_in_range",
        ),
        CheckConstraint(
            "0 <= ALL(directions) AND 359 >= ALL(directions) AND array_position(directions, NULL) IS NULL",
            name="sighting_directions_0_359",
        ),
        CheckConstraint(f"char_length(notes) <= {Limits.NOTES_CHARS}", name="sighting_notes_length"),
        CheckConstraint(
            f"status <> '{SightingStatus.REJECTED}' OR reject_reason IS NOT NULL",
            name="sighting_reject_has_reason",
        ),
    )
