"""Precomputed camera counts per zoom level and grid cell, for the low-zoom density tiles.

A cell of zoom z is one tile of zoom z + CELL_ZOOM_OFFSET in Web Mercator; its geometry is that tile's
envelope (EPSG:3857). Kept current incrementally by webapp.density when cameras change.
"""

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import CheckConstraint, Index, Integer, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class DensityCell(db.Model):
    __tablename__ = "density_cells"

    z: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    x: Mapped[int] = mapped_column(Integer, primary_key=True)
    y: Mapped[int] = mapped_column(Integer, primary_key=True)
    cameras: Mapped[int] = mapped_column(nullable=False)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("POLYGON", srid=3857, spatial_index=False), nullable=False
    )

    __table_args__ = (
        CheckConstraint("cameras >= 0", name="density_cell_count_not_negative"),
        # (z, geom) together, so that a tile query reads one zoom's cells through one index (btree_gist).
        Index("ix_density_cells_z_geom", "z", "geom", postgresql_using="gist"),
    )
