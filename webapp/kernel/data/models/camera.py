"""A camera: one physical ALPR device at one place. Public only while its status is verified."""

from datetime import date, datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import (
    CAMERA_SOURCES,
    CAMERA_STATUSES,
    MOUNTS,
    OSM_TYPES,
    OWNED_FIELDS,
    CameraStatus,
    sql_in,
)


class Camera(db.Model):
    __tablename__ = "cameras"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    status: Mapped[str] = mapped_column(nullable=False, server_default=CameraStatus.VERIFIED.value)
    vendor: Mapped[str] = mapped_column(nullable=False, server_default="unknown")
    mount: Mapped[str | None]
    directions: Mapped[list[int]] = mapped_column(
        ARRAY(SmallInteger), nullable=False, server_default=text("'{}'")
    )
    operator: Mapped[str | None]
    first_reported_month: Mapped[date | None]
    last_confirmed_month: Mapped[date | None]
    confirmations: Mapped[int] = mapped_column(nullable=False, server_default="1")
    source: Mapped[str] = mapped_column(nullable=False)
    osm_type: Mapped[str | None]
    osm_id: Mapped[int | None] = mapped_column(BigInteger)
    # OpenStreetMap's start_date as tagged ("2023-05", "2021-04-12", "2019"), and the month it names when it
    # names one: the timeline counts an imported camera from then, and never guesses a month for the rest.
    osm_start_date: Mapped[str | None]
    started_month: Mapped[date | None]
    # The Census GEOIDs of the state and county the camera stands in, set by a database trigger (migration
    # 0006) when the camera is created or moved, and by `flask areas import`; NULL outside every area.
    state_geoid: Mapped[str | None] = mapped_column(index=True)
    county_geoid: Mapped[str | None] = mapped_column(index=True)
    # A synthetic camera of `flask cameras seed-demo`: shown on a demo instance's map, never exported or
    # counted in a figure anyone could cite.
    demo: Mapped[bool] = mapped_column(nullable=False, server_default=text("false"))
    # Set while a "personal information" flag is open: the photos stay hidden until a moderator decides.
    photos_hidden: Mapped[bool] = mapped_column(nullable=False, server_default=text("false"))
    # The fields (of OWNED_FIELDS) a moderator set: a re-import from OpenStreetMap leaves them alone. The
    # others follow OpenStreetMap (migration 0007 explains the design).
    moderated_fields: Mapped[list[str]] = mapped_column(
        ARRAY(Text), nullable=False, server_default=text("'{}'")
    )
    # The month a removed camera was taken down, as a moderator confirmed it (the timeline and the
    # removed-cameras export use it); NULL for a camera never there, and for every camera not removed.
    removed_month: Mapped[date | None]
    # The agency that runs it, from its operator text through `operator_links` (a database trigger of
    # migration 0008 keeps it current); the operator text stays as reported.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
    version: Mapped[int] = mapped_column(nullable=False, server_default="1")

    @property
    def is_public(self) -> bool:
        return self.status == CameraStatus.VERIFIED

    # The database moves `version` on at every UPDATE (row_version_bump, migration 0019); the ORM checks it
    # and reads the new value back.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
    __table_args__ = (
        CheckConstraint(sql_in("status", CAMERA_STATUSES), name="camera_status_known"),
        CheckConstraint(sql_in("source", CAMERA_SOURCES), name="camera_source_known"),
        CheckConstraint(sql_in("mount", MOUNTS), name="camera_mount_known"),
        CheckConstraint(sql_in("osm_type", OSM_TYPES), name="camera_osm_type_known"),
        CheckConstraint("vendor ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="camera_vendor_slug"),
        CheckConstraint(
            "ST_X(geom) BETWEEN -180 AND 180 AND ST_Y(geom) BETWEEN -90 AND 90", name="camera_lonlat_in_range"
        ),
        CheckConstraint(
            "0 <= ALL(directions) AND 359 >= ALL(directions) AND array_position(directions, NULL) IS NULL",
            name="camera_directions_0_359",
        ),
        CheckConstraint("confirmations >= 0", name="camera_confirmations_not_negative"),
        CheckConstraint("char_length(osm_start_date) <= 32", name="camera_osm_start_date_length"),
        CheckConstraint(
            "moderated_fields <@ ARRAY[" + ", ".join(f"'{name}'" for name in OWNED_FIELDS) + "]::text[]",
            name="camera_moderated_fields_known",
        ),
        CheckConstraint("(osm_type IS NULL) = (osm_id IS NULL)", name="camera_osm_key_complete"),
        UniqueConstraint("osm_type", "osm_id", name="camera_osm_key_unique"),
        Index("ix_cameras_status_vendor", "status", "vendor"),
        Index("ix_cameras_agency_status", "agency_id", "status"),
        # The operator_links triggers of migration 0008 find a text's cameras by it.
        Index("ix_cameras_operator_key", text("lower(btrim(operator))")),
        # The citable cameras of a set of agencies, counted and mapped from the index alone (migration 0010;
        # the rule is the SQL function camera_citable since 0019, inlined by PostgreSQL).
        Index(
            "ix_cameras_citable_by_agency",
            "agency_id",
            "id",
            postgresql_include=["vendor", "geom"],
            postgresql_where=text("camera_citable(status, demo) AND agency_id IS NOT NULL"),
        ),
    )
