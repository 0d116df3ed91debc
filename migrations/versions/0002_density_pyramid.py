"""density pyramid: cells without geometry, kept current by set-based triggers on cameras

The count of verified cameras per cell and zoom (0..13) lives in density_cells. A cell of zoom z is the
tile of zoom z + 5 with the same x and y, so a tile's cells are a primary-key range and need no geometry:
the geometry column and its GiST index go. Three statement-level triggers with transition tables adjust
the counts of the cells a statement touched, in one INSERT .. ON CONFLICT for the whole statement (an import
of 60,000 cameras is one adjustment, not 60,000). density_rebuild() recomputes everything.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 06:50:00

"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Must match webapp/models/density.py: DENSITY_MAX_ZOOM = 13, FINEST_CELL_LEVEL = 13 + 5.
FUNCTIONS = """
-- The column / row of a lon / lat in the grid of the finest cells (Web Mercator tiles of zoom 18).
CREATE FUNCTION density_cell_x(lon double precision) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT least(greatest(floor((lon + 180.0) / 360.0 * 262144), 0), 262143)::integer
$$;

CREATE FUNCTION density_cell_y(lat double precision) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT least(greatest(floor(
        (1.0 - ln(tan(radians(least(greatest(lat, -85.0511287798), 85.0511287798)))
                  + 1.0 / cos(radians(least(greatest(lat, -85.0511287798), 85.0511287798)))) / pi())
        / 2.0 * 262144), 0), 262143)::integer
$$;

-- Add signed counts of finest cells to every zoom's cells, in one statement, locking rows in key order so
-- that concurrent camera changes cannot deadlock on the shared low-zoom cells.
CREATE FUNCTION density_apply(xs integer[], ys integer[], deltas integer[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO density_cells (z, x, y, cameras)
    SELECT zoom, change.x >> (13 - zoom), change.y >> (13 - zoom), sum(change.delta)::integer
    FROM unnest(xs, ys, deltas) AS change(x, y, delta)
    CROSS JOIN generate_series(0, 13) AS zoom
    GROUP BY 1, 2, 3
    HAVING sum(change.delta) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (z, x, y) DO UPDATE SET cameras = density_cells.cameras + EXCLUDED.cameras
$$;

-- One function for the three triggers; each branch reads only the transition tables its event has.
CREATE FUNCTION density_follow_cameras() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM density_apply(array_agg(cx), array_agg(cy), array_agg(delta))
        FROM (
            SELECT density_cell_x(ST_X(geom)) AS cx, density_cell_y(ST_Y(geom)) AS cy, count(*)::integer AS delta
            FROM new_cameras WHERE status = 'verified' GROUP BY 1, 2
        ) AS changes;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM density_apply(array_agg(cx), array_agg(cy), array_agg(delta))
        FROM (
            SELECT density_cell_x(ST_X(geom)) AS cx, density_cell_y(ST_Y(geom)) AS cy, -count(*)::integer AS delta
            FROM old_cameras WHERE status = 'verified' GROUP BY 1, 2
        ) AS changes;
    ELSE
        -- Rows whose status and cell did not change cancel out in the sum.
        PERFORM density_apply(array_agg(cx), array_agg(cy), array_agg(delta))
        FROM (
            SELECT cx, cy, sum(delta)::integer AS delta
            FROM (
                SELECT density_cell_x(ST_X(geom)) AS cx, density_cell_y(ST_Y(geom)) AS cy, -1 AS delta
                FROM old_cameras WHERE status = 'verified'
                UNION ALL
                SELECT density_cell_x(ST_X(geom)), density_cell_y(ST_Y(geom)), 1
                FROM new_cameras WHERE status = 'verified'
            ) AS both_sides
            GROUP BY 1, 2
            HAVING sum(delta) <> 0
        ) AS changes;
    END IF;
    RETURN NULL;
END
$$;

-- Everything from scratch. Camera writes wait meanwhile (SHARE lock), so none is lost between the read
-- and the new counts; tile reads wait for the TRUNCATE's lock until the commit.
CREATE FUNCTION density_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    zoom integer;
    cells bigint;
BEGIN
    LOCK TABLE cameras IN SHARE MODE;
    TRUNCATE density_cells;
    INSERT INTO density_cells (z, x, y, cameras)
    SELECT 13, density_cell_x(ST_X(geom)), density_cell_y(ST_Y(geom)), count(*)
    FROM cameras WHERE status = 'verified' GROUP BY 2, 3 ORDER BY 2, 3;
    FOR zoom IN REVERSE 12..0 LOOP
        INSERT INTO density_cells (z, x, y, cameras)
        SELECT zoom, x >> 1, y >> 1, sum(cameras)
        FROM density_cells WHERE z = zoom + 1 GROUP BY 2, 3 ORDER BY 2, 3;
    END LOOP;
    SELECT count(*) INTO cells FROM density_cells;
    RETURN cells;
END
$$;

CREATE TRIGGER density_after_insert AFTER INSERT ON cameras
    REFERENCING NEW TABLE AS new_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION density_follow_cameras();
CREATE TRIGGER density_after_update AFTER UPDATE ON cameras
    REFERENCING OLD TABLE AS old_cameras NEW TABLE AS new_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION density_follow_cameras();
CREATE TRIGGER density_after_delete AFTER DELETE ON cameras
    REFERENCING OLD TABLE AS old_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION density_follow_cameras();
"""


def upgrade():
    with op.batch_alter_table("density_cells", schema=None) as batch_op:
        batch_op.drop_index("ix_density_cells_z_geom", postgresql_using="gist")
    op.drop_column("density_cells", "geom")
    # PostgreSQL checks the row an INSERT .. ON CONFLICT proposes before resolving the conflict, so the
    # triggers' negative adjustments (a camera leaving a cell) would break this CHECK.
    op.drop_constraint("density_cell_count_not_negative", "density_cells", type_="check")
    op.execute(FUNCTIONS)
    # Cameras that exist already (an upgraded database) get their counts now.
    op.execute("SELECT density_rebuild()")


def downgrade():
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER density_after_{event} ON cameras")
    op.execute("DROP FUNCTION density_follow_cameras()")
    op.execute("DROP FUNCTION density_rebuild()")
    op.execute("DROP FUNCTION density_apply(integer[], integer[], integer[])")
    op.execute("DROP FUNCTION density_cell_x(double precision)")
    op.execute("DROP FUNCTION density_cell_y(double precision)")
    # 0001's shape: a tile-envelope polygon per cell. The counts are emptied (they were derived data).
    op.execute("TRUNCATE density_cells")
    op.add_column(
        "density_cells",
        sa.Column(
            "geom",
            Geometry(geometry_type="POLYGON", srid=3857, spatial_index=False, nullable=False),
            nullable=False,
        ),
    )
    with op.batch_alter_table("density_cells", schema=None) as batch_op:
        batch_op.create_index("ix_density_cells_z_geom", ["z", "geom"], unique=False, postgresql_using="gist")
    op.create_check_constraint("density_cell_count_not_negative", "density_cells", "cameras >= 0")
