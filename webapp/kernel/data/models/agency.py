"""Agencies, who shares ALPR data with whom, and the published figures about them (issue 11).

An agency runs cameras (`cameras.agency_id`, set through `operator_links` from the camera's free-text
operator) and shares what they read with other agencies (`agency_sharing`). Every relation and figure names
the data set or document it came from (`data_sources`, or a moderator's source text) and the date it was
seen, because they are claims made at one point in time. Migration 0008 explains the design."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AGENCY_KINDS, OPERATOR_LINK_STATES, RECORDED_BY, Limits, sql_in


class DataSource(db.Model):
    """A published data set an import read (e.g. The News & Observer's "Private Eyes" files): what every
    imported row cites, and the licence and attribution the exports carry."""

    __tablename__ = "data_sources"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # A stable name for the data set ("news-observer-private-eyes"): a re-import finds its rows by it.
    key: Mapped[str] = mapped_column(nullable=False, unique=True)
    title: Mapped[str] = mapped_column(nullable=False)
    publisher: Mapped[str] = mapped_column(nullable=False)
    url: Mapped[str | None]
    licence: Mapped[str] = mapped_column(nullable=False)
    # The credit line its publisher asks for, shown with every figure drawn from it.
    attribution: Mapped[str] = mapped_column(nullable=False)
    # The period its data was collected in (the date a figure "was seen").
    collected_from: Mapped[date | None] = mapped_column(Date)
    collected_to: Mapped[date | None] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )


class Agency(db.Model):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(nullable=False)
    kind: Mapped[str] = mapped_column(nullable=False, server_default="other")
    # The two-letter USPS code of its state; NULL for a federal agency or when no state is known.
    state: Mapped[str | None]
    wikidata_id: Mapped[str | None]
    # Where the agency came from: a data set's own id for it (a re-import finds it again), or NULL when a
    # moderator created it.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("data_sources.id", ondelete="RESTRICT"))
    source_key: Mapped[str | None]
    notes: Mapped[str | None]
    # How `state` was inferred when the data set gave none: from the name or the linked cameras (`name`,
    # `cameras`; webapp/agencies/agency_marks.py); NULL when the data set or a moderator gave it.
    state_basis: Mapped[str | None]
    # A vendor portal's test or demo account ("Flock Safety PD Test Org"): left out of every count and list.
    test_account: Mapped[bool] = mapped_column(nullable=False, server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
    version: Mapped[int] = mapped_column(nullable=False, server_default="1")

    source = relationship("DataSource")
    aliases = relationship("AgencyAlias", back_populates="agency", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # migration 0019
    __table_args__ = (
        CheckConstraint(sql_in("kind", AGENCY_KINDS), name="agency_kind_known"),
        CheckConstraint("state ~ '^[A-Z]{2}$'", name="agency_state_code"),
        CheckConstraint("wikidata_id ~ '^Q[1-9][0-9]*$'", name="agency_wikidata_id"),
        CheckConstraint(
            f"char_length(name) BETWEEN 1 AND {Limits.AGENCY_NAME_CHARS}", name="agency_name_length"
        ),
        CheckConstraint("(source_id IS NULL) = (source_key IS NULL)", name="agency_source_key_complete"),
        CheckConstraint(
            "state_basis IS NULL OR (state IS NOT NULL AND state_basis IN ('name', 'cameras'))",
            name="agency_state_basis",
        ),
        UniqueConstraint("source_id", "source_key", name="agency_source_key_unique"),
        Index("ix_agencies_state_kind", "state", "kind"),
        Index("ix_agencies_name_lower", text("lower(name)")),
    )


class AgencyAlias(db.Model):
    """Another name of an agency (the operator text on its cameras, a portal's spelling). `normalized` is
    the matcher's key for it (webapp/agencies explains the normalisation)."""

    __tablename__ = "agency_aliases"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True)
    normalized: Mapped[str] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(nullable=False)

    agency = relationship("Agency", back_populates="aliases")

    __table_args__ = (Index("ix_agency_aliases_normalized", "normalized"),)


class AgencySharing(db.Model):
    """ "`from_agency` shares its ALPR data with `to_agency`", as a source said on a date. Never deleted: a
    moderator retires a relation (with a source), and it keeps its dates."""

    __tablename__ = "agency_sharing"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    from_agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), nullable=False
    )
    to_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="RESTRICT"), nullable=False)
    # The data set it was imported from (NULL for a moderator's relation), and the document or URL that
    # shows it (required for every relation).
    data_source_id: Mapped[int | None] = mapped_column(ForeignKey("data_sources.id", ondelete="RESTRICT"))
    source: Mapped[str] = mapped_column(nullable=False)
    # The vendor whose network the relation belongs to (a Flock Safety portal's relations share what Flock
    # cameras read): only that vendor's cameras feed the receiver. NULL: not tied to one vendor.
    vendor: Mapped[str | None]
    seen_on: Mapped[date] = mapped_column(Date, nullable=False)
    recorded_by: Mapped[str] = mapped_column(nullable=False)
    recorded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    # Retired: no longer true (as of retired_on, per retired_source); the row and its dates stay.
    retired_on: Mapped[date | None] = mapped_column(Date)
    retired_source: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    version: Mapped[int] = mapped_column(nullable=False, server_default="1")

    from_agency = relationship("Agency", foreign_keys=[from_agency_id])
    to_agency = relationship("Agency", foreign_keys=[to_agency_id])
    data_source = relationship("DataSource")
    recorded_by_user = relationship("User")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # migration 0019
    __table_args__ = (
        CheckConstraint(sql_in("recorded_by", RECORDED_BY), name="sharing_recorded_by_known"),
        CheckConstraint("from_agency_id <> to_agency_id", name="sharing_not_with_itself"),
        CheckConstraint("vendor ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="sharing_vendor_slug"),
        CheckConstraint(
            f"char_length(source) BETWEEN 1 AND {Limits.SOURCE_CHARS}", name="sharing_source_length"
        ),
        CheckConstraint(
            "(recorded_by = 'moderator') = (recorded_by_user_id IS NOT NULL)", name="sharing_recorder"
        ),
        CheckConstraint("(retired_on IS NULL) = (retired_source IS NULL)", name="sharing_retirement_sourced"),
        CheckConstraint("retired_on IS NULL OR retired_on >= seen_on", name="sharing_retired_after_seen"),
        # One current relation per pair and data set: a re-import finds it again instead of adding one.
        Index(
            "ux_agency_sharing_current",
            "from_agency_id",
            "to_agency_id",
            text("coalesce(data_source_id, 0)"),
            unique=True,
            postgresql_where=text("retired_on IS NULL"),
        ),
        Index("ix_agency_sharing_to", "to_agency_id", "from_agency_id"),
    )


class AgencyPortalFigures(db.Model):
    """An agency's own figures as its vendor transparency portal published them on one day (retention,
    cameras it says it owns, searches): self-reported, shown with their date and source."""

    __tablename__ = "agency_portal_figures"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False)
    data_source_id: Mapped[int] = mapped_column(
        ForeignKey("data_sources.id", ondelete="RESTRICT"), nullable=False
    )
    url: Mapped[str | None]
    portal_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accessed_on: Mapped[date] = mapped_column(Date, nullable=False)
    # As published ("30 days", "NA") and, when it reads as a number of days, that number.
    retention_text: Mapped[str | None]
    retention_days: Mapped[int | None]
    owned_cameras: Mapped[int | None]
    external_organizations_with_access: Mapped[int | None]
    hotlists: Mapped[str | None]
    vehicles_detected_30d: Mapped[int | None] = mapped_column(BigInteger)
    hotlist_hits_30d: Mapped[int | None] = mapped_column(BigInteger)
    searches_30d: Mapped[int | None] = mapped_column(BigInteger)
    public_search_audit: Mapped[str | None]

    agency = relationship("Agency")
    data_source = relationship("DataSource")

    __table_args__ = (
        UniqueConstraint("agency_id", "data_source_id", "accessed_on", name="portal_figures_once_a_day"),
    )


class AgencyPolicy(db.Model):
    """An agency's stated ALPR policy as its portal published it: what it says is prohibited, and whether
    that includes immigration enforcement (read by the importer from the text, kept beside it)."""

    __tablename__ = "agency_policies"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False)
    data_source_id: Mapped[int] = mapped_column(
        ForeignKey("data_sources.id", ondelete="RESTRICT"), nullable=False
    )
    url: Mapped[str | None]
    portal_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accessed_on: Mapped[date] = mapped_column(Date, nullable=False)
    whats_detected: Mapped[str | None] = mapped_column(Text)
    whats_not_detected: Mapped[str | None] = mapped_column(Text)
    acceptable_use: Mapped[str | None] = mapped_column(Text)
    prohibited_uses: Mapped[str | None] = mapped_column(Text)
    access_policy: Mapped[str | None] = mapped_column(Text)
    hotlist_policy: Mapped[str | None] = mapped_column(Text)
    prohibits_immigration_enforcement: Mapped[bool] = mapped_column(
        nullable=False, server_default=text("false")
    )

    agency = relationship("Agency")
    data_source = relationship("DataSource")

    __table_args__ = (
        UniqueConstraint("agency_id", "data_source_id", "accessed_on", name="policy_once_a_day"),
    )


class OperatorLink(db.Model):
    """The agency behind one operator text in one state, as cameras carry it. Keyed by
    `lower(btrim(operator))` and the cameras' state (`state_geoid`, '' for cameras with no state; migration
    0015): every camera with that text in that state (reported or imported, now or later) is linked by a
    database trigger to the agency of a `linked` or `confirmed` row. `candidates` keeps the matcher's
    proposals with their scores."""

    __tablename__ = "operator_links"

    operator_key: Mapped[str] = mapped_column(primary_key=True)
    state_geoid: Mapped[str] = mapped_column(primary_key=True, default="", server_default="")
    # A number for the audit log and the moderator queue's URLs (migration 0009).
    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), nullable=False)
    # One spelling as cameras carry it (for people: the key is lower-cased).
    operator: Mapped[str] = mapped_column(nullable=False)
    state: Mapped[str] = mapped_column(nullable=False)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="RESTRICT"))
    score: Mapped[float | None] = mapped_column(Float)
    # [{"agency_id": 12, "name": "Amarillo TX PD", "score": 93.5}, ...], best first.
    candidates: Mapped[list | None] = mapped_column(JSONB(none_as_null=True))
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
    version: Mapped[int] = mapped_column(nullable=False, server_default="1")

    agency = relationship("Agency")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # migration 0019
    __table_args__ = (
        CheckConstraint(sql_in("state", OPERATOR_LINK_STATES), name="operator_link_state_known"),
        CheckConstraint(
            "operator_link_active(state) = (agency_id IS NOT NULL)",
            name="operator_link_agency_when_linked",
        ),
        CheckConstraint("operator_key = lower(btrim(operator))", name="operator_link_key"),
        CheckConstraint("state_geoid = '' OR state_geoid ~ '^[0-9]{2}$'", name="operator_link_state_geoid"),
        UniqueConstraint("id", name="operator_links_id_unique"),
        Index("ix_operator_links_state", "state"),
    )


class AgencyCameraCell(db.Model):
    """An agency's citable cameras in one map cell (0.1 degree; webapp/agencies/camera_sets.py), with the sums
    of their positions: kept by the triggers of migration 0011, read by the maps of many cameras."""

    __tablename__ = "agency_camera_cells"

    agency_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    vendor: Mapped[str] = mapped_column(primary_key=True)
    cell_x: Mapped[int] = mapped_column(primary_key=True)
    cell_y: Mapped[int] = mapped_column(primary_key=True)
    cameras: Mapped[int] = mapped_column(nullable=False)
    lon_sum: Mapped[float] = mapped_column(Float(precision=53), nullable=False)
    lat_sum: Mapped[float] = mapped_column(Float(precision=53), nullable=False)
