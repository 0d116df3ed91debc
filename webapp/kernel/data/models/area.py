"""Areas: US states and counties with their boundaries and the denominators of the coverage figures
(population, road miles, area), and the per-area camera counts the database keeps current.

Each camera carries the geoids of its state and county (set by a trigger of migration 0006 when it is
created or moved); `area_camera_counts` holds, per area, vendor, operator and source, how many citable cameras
(verified, not demo) stand there, adjusted by statement-level triggers on `cameras` like the density pyramid.
So an area's figures are a primary-key range read, never a spatial join over every camera.
"""

from datetime import datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import BigInteger, CheckConstraint, DateTime, Float, Index, SmallInteger, String, func
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import AREA_KINDS, sql_in


class Area(db.Model):
    __tablename__ = "areas"

    # Census GEOID: two digits for a state, five (state + county) for a county.
    geoid: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(nullable=False)
    name: Mapped[str] = mapped_column(nullable=False)
    state_geoid: Mapped[str] = mapped_column(String, nullable=False, index=True)
    population: Mapped[int | None] = mapped_column(BigInteger)
    road_miles: Mapped[float | None] = mapped_column(Float)
    # Computed from the boundary on the spheroid at import (the files carry no land area); cartographic
    # boundaries are clipped to the shoreline, so this is land plus inland water.
    area_km2: Mapped[float] = mapped_column(Float, nullable=False)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False
    )
    # A simplified copy for the choropleth tiles at low zoom (a few hundred vertices per state).
    geom_simplified: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False
    )
    # Where the boundary and the denominators come from, shown beside every figure.
    source: Mapped[str] = mapped_column(nullable=False)
    # The file the row was imported from (or "built-in"), so `flask areas import --if-missing` knows.
    dataset: Mapped[str] = mapped_column(nullable=False)
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )

    __table_args__ = (
        CheckConstraint(sql_in("kind", AREA_KINDS), name="area_kind_known"),
        CheckConstraint(
            "(kind = 'state' AND geoid ~ '^[0-9]{2}$' AND state_geoid = geoid) OR "
            "(kind = 'county' AND geoid ~ '^[0-9]{5}$' AND state_geoid = left(geoid, 2))",
            name="area_geoid_shape",
        ),
        CheckConstraint("population IS NULL OR population >= 0", name="area_population_not_negative"),
        CheckConstraint("road_miles IS NULL OR road_miles >= 0", name="area_road_miles_not_negative"),
        CheckConstraint("area_km2 >= 0", name="area_km2_not_negative"),
        Index("ix_areas_kind_state", "kind", "state_geoid"),
    )


class AreaPart(db.Model):
    """A boundary cut into pieces of at most 64 vertices (ST_Subdivide): the table the camera trigger looks
    a point up in. Small pieces have tight boxes and are never TOASTed, so a look-up costs a few microseconds
    where the whole boundary (a state has thousands of vertices) would cost tens."""

    __tablename__ = "area_parts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    geoid: Mapped[str] = mapped_column(String, nullable=False, index=True)
    kind: Mapped[str] = mapped_column(nullable=False)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("POLYGON", srid=4326, spatial_index=True), nullable=False
    )


class AreaCountsVersion(db.Model):
    """One row whose version moves on whenever the per-area counts or the areas change (in the same
    transaction), so figures computed from them can be kept until it moves (webapp.coverage.live_cache)."""

    __tablename__ = "area_counts_version"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # The last version that changed more than counts (a rebuild, the areas, operator links, agency names):
    # nothing computed before it can be kept (migration 0022).
    recounted: Mapped[int] = mapped_column(BigInteger, nullable=False)

    __table_args__ = (CheckConstraint("id = 1", name="area_counts_version_one_row"),)


class AreaCameraCount(db.Model):
    __tablename__ = "area_camera_counts"

    geoid: Mapped[str] = mapped_column(String, primary_key=True)
    vendor: Mapped[str] = mapped_column(String, primary_key=True)
    # '' when the operator is unknown (a primary key cannot hold NULL).
    operator: Mapped[str] = mapped_column(String, primary_key=True)
    source: Mapped[str] = mapped_column(String, primary_key=True)
    # Zero is allowed: the triggers leave emptied rows in place (readers skip them, a rebuild drops them).
    cameras: Mapped[int] = mapped_column(nullable=False)
    # The version of the change that last wrote the row: the areas changed since a version (migration 0022).
    version: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)
