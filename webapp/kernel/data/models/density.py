"""Precomputed counts of verified cameras per zoom level and grid cell: the pyramid behind the low-zoom
density tiles.

A cell of zoom z is one tile of zoom z + CELL_ZOOM_OFFSET in Web Mercator (so a 256-pixel tile
holds a 32 x 32 grid of 8-pixel cells), identified by that tile's x and y. Cells need no geometry: a tile's
cells are a range of the primary key, and their positions inside the tile follow from x and y. Database
triggers on `cameras` (migration 0002) keep the counts current; webapp.tiles.pyramid rebuilds them.
"""

from sqlalchemy import Integer, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from webapp.kernel.extensions import db

# Density cells exist for tile zooms 0..DENSITY_MAX_ZOOM; above it, tiles carry the cameras themselves.
DENSITY_MAX_ZOOM = 13
CELL_ZOOM_OFFSET = 5
# The zoom of the finest cells' grid (13 + 5): a camera's cell at zoom z is its cell here shifted right.
FINEST_CELL_LEVEL = DENSITY_MAX_ZOOM + CELL_ZOOM_OFFSET


class DensityCell(db.Model):
    __tablename__ = "density_cells"

    z: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    x: Mapped[int] = mapped_column(Integer, primary_key=True)
    y: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Zero is allowed: the triggers leave emptied cells in place (tiles skip them, a rebuild drops them).
    # No CHECK (cameras >= 0): PostgreSQL checks the row an INSERT .. ON CONFLICT proposes before it
    # resolves the conflict, so the triggers' negative adjustments would fail. `flask tiles check` audits.
    cameras: Mapped[int] = mapped_column(nullable=False)
