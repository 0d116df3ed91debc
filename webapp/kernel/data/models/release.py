"""Numbered data releases (immutable once written), the cameras and figures each one froze, the dated changes
of the citable cameras the Atom feeds read, and the drawn areas a feed follows (migration 0018)."""

from datetime import date

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db


class DataRelease(db.Model):
    __tablename__ = "data_releases"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    released_on: Mapped[date] = mapped_column(nullable=False)
    # The release's folder under EXPORT_DIR/releases (its files never change once the row exists).
    folder: Mapped[str] = mapped_column(nullable=False, unique=True)
    cameras: Mapped[int] = mapped_column(nullable=False)
    datapackage_sha256: Mapped[str] = mapped_column(nullable=False)
    datapackage_bytes: Mapped[int] = mapped_column(nullable=False)
    # {"previous": n | null, "added": n, "removed": n, "moved": n}: what changed since the release before.
    changes: Mapped[dict] = mapped_column(JSONB, nullable=False)
    # A withdrawal keeps the release listed with its reason; its files are no longer served.
    withdrawn_on: Mapped[date | None]
    withdrawn_reason: Mapped[str | None]


class ReleaseCamera(db.Model):
    """A citable camera as a release froze it: enough to tell the next release what was added, removed or
    moved."""

    __tablename__ = "release_cameras"

    release_number: Mapped[int] = mapped_column(
        ForeignKey("data_releases.number", deferrable=True, initially="DEFERRED"), primary_key=True
    )
    camera_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    lon: Mapped[float] = mapped_column(Float, nullable=False)
    lat: Mapped[float] = mapped_column(Float, nullable=False)


class ReleaseFigure(db.Model):
    """A state's, county's or agency's camera count as it stood in a release ("cite this" on live pages)."""

    __tablename__ = "release_figures"

    release_number: Mapped[int] = mapped_column(
        ForeignKey("data_releases.number", deferrable=True, initially="DEFERRED"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(primary_key=True)
    cameras: Mapped[int] = mapped_column(nullable=False)


class CameraChange(db.Model):
    """A citable camera verified, moved or taken down, on a UTC day (never a time): what the feeds list.
    Written by triggers on `cameras`, whoever changed it."""

    __tablename__ = "camera_changes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    camera_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    kind: Mapped[str] = mapped_column(nullable=False)
    changed_on: Mapped[date] = mapped_column(
        nullable=False, server_default=text("((now() AT TIME ZONE 'UTC'::text))::date")
    )
    geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    vendor: Mapped[str] = mapped_column(nullable=False)

    __table_args__ = (Index("ix_camera_changes_camera", "camera_id", "id"),)


class FeedArea(db.Model):
    """A drawn polygon whose feed someone follows, under the hash its feed URL carries."""

    __tablename__ = "feed_areas"

    hash: Mapped[str] = mapped_column(primary_key=True)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False
    )
