"""each agency's citable cameras counted per map cell, kept by statement-level triggers

The map of "the cameras that feed a receiver" draws, past 3,000 cameras, the count of cameras per 0.1-degree
cell (webapp/agencies/camera_sets.py, MAP_CELL_DEGREES). Counting them from the cameras reads every one: 303,191
points for the receiver with the most sources in the benchmark, p95 627 ms. `agency_camera_cells` keeps, per
agency and cell, the number of citable cameras (verified, not demo) and the sums of their longitudes and
latitudes (the map puts a cell's count at its cameras' mean position). Three statement-level triggers with
transition tables adjust it in one INSERT .. ON CONFLICT per statement, as `area_camera_counts` (0006) and the
density pyramid (0002) are kept; a receiver's map then sums a few thousand rows. Cells left at zero cameras stay
(they cost a row) and are never drawn. `agency_cells_rebuild()` recomputes the table.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 14:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The cell size must match webapp/agencies/camera_sets.py MAP_CELL_DEGREES; the citable condition
# webapp/geo/public_cameras.py CITABLE.
FUNCTIONS = """
CREATE FUNCTION agency_cells_apply(agencies bigint[], xs integer[], ys integer[], deltas integer[],
                                   lons double precision[], lats double precision[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO agency_camera_cells (agency_id, cell_x, cell_y, cameras, lon_sum, lat_sum)
    SELECT agency_id, cell_x, cell_y, sum(delta)::integer, sum(lon), sum(lat)
    FROM unnest(agencies, xs, ys, deltas, lons, lats) AS change(agency_id, cell_x, cell_y, delta, lon, lat)
    GROUP BY 1, 2, 3
    HAVING sum(delta) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (agency_id, cell_x, cell_y) DO UPDATE SET
        cameras = agency_camera_cells.cameras + EXCLUDED.cameras,
        lon_sum = agency_camera_cells.lon_sum + EXCLUDED.lon_sum,
        lat_sum = agency_camera_cells.lat_sum + EXCLUDED.lat_sum;
$$;

-- One signed row per camera that counts (verified, not demo, under an agency), on the side it is on.
CREATE FUNCTION agency_cells_follow_cameras() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM agency_cells_apply(array_agg(agency_id), array_agg(x), array_agg(y), array_agg(delta),
                                   array_agg(lon), array_agg(lat))
        FROM (
            SELECT agency_id, floor(ST_X(geom) / 0.1)::integer AS x, floor(ST_Y(geom) / 0.1)::integer AS y,
                   1 AS delta, ST_X(geom) AS lon, ST_Y(geom) AS lat
            FROM new_cameras WHERE status = 'verified' AND NOT demo AND agency_id IS NOT NULL
        ) AS changes;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM agency_cells_apply(array_agg(agency_id), array_agg(x), array_agg(y), array_agg(delta),
                                   array_agg(lon), array_agg(lat))
        FROM (
            SELECT agency_id, floor(ST_X(geom) / 0.1)::integer AS x, floor(ST_Y(geom) / 0.1)::integer AS y,
                   -1 AS delta, -ST_X(geom) AS lon, -ST_Y(geom) AS lat
            FROM old_cameras WHERE status = 'verified' AND NOT demo AND agency_id IS NOT NULL
        ) AS changes;
    ELSE
        -- Only rows whose agency, status, demo flag or point changed: the rest would cancel out.
        PERFORM agency_cells_apply(array_agg(agency_id), array_agg(x), array_agg(y), array_agg(delta),
                                   array_agg(lon), array_agg(lat))
        FROM (
            SELECT o.agency_id, floor(ST_X(o.geom) / 0.1)::integer AS x, floor(ST_Y(o.geom) / 0.1)::integer AS y,
                   -1 AS delta, -ST_X(o.geom) AS lon, -ST_Y(o.geom) AS lat
            FROM old_cameras AS o JOIN new_cameras AS n USING (id)
            WHERE o.status = 'verified' AND NOT o.demo AND o.agency_id IS NOT NULL
              AND (o.agency_id, o.status, o.demo, o.geom) IS DISTINCT FROM (n.agency_id, n.status, n.demo, n.geom)
            UNION ALL
            SELECT n.agency_id, floor(ST_X(n.geom) / 0.1)::integer, floor(ST_Y(n.geom) / 0.1)::integer,
                   1, ST_X(n.geom), ST_Y(n.geom)
            FROM old_cameras AS o JOIN new_cameras AS n USING (id)
            WHERE n.status = 'verified' AND NOT n.demo AND n.agency_id IS NOT NULL
              AND (o.agency_id, o.status, o.demo, o.geom) IS DISTINCT FROM (n.agency_id, n.status, n.demo, n.geom)
        ) AS changes;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER agency_cells_after_insert AFTER INSERT ON cameras
    REFERENCING NEW TABLE AS new_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION agency_cells_follow_cameras();
CREATE TRIGGER agency_cells_after_update AFTER UPDATE ON cameras
    REFERENCING OLD TABLE AS old_cameras NEW TABLE AS new_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION agency_cells_follow_cameras();
CREATE TRIGGER agency_cells_after_delete AFTER DELETE ON cameras
    REFERENCING OLD TABLE AS old_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION agency_cells_follow_cameras();

-- Everything from scratch; camera writes wait meanwhile (SHARE lock), so none is lost.
CREATE FUNCTION agency_cells_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    rows_written bigint;
BEGIN
    LOCK TABLE cameras IN SHARE MODE;
    TRUNCATE agency_camera_cells;
    INSERT INTO agency_camera_cells (agency_id, cell_x, cell_y, cameras, lon_sum, lat_sum)
    SELECT agency_id, floor(ST_X(geom) / 0.1)::integer, floor(ST_Y(geom) / 0.1)::integer, count(*),
           sum(ST_X(geom)), sum(ST_Y(geom))
    FROM cameras WHERE status = 'verified' AND NOT demo AND agency_id IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    GET DIAGNOSTICS rows_written = ROW_COUNT;
    RETURN rows_written;
END
$$;
"""

DROP_FUNCTIONS = """
DROP TRIGGER agency_cells_after_insert ON cameras;
DROP TRIGGER agency_cells_after_update ON cameras;
DROP TRIGGER agency_cells_after_delete ON cameras;
DROP FUNCTION agency_cells_rebuild();
DROP FUNCTION agency_cells_follow_cameras();
DROP FUNCTION agency_cells_apply(bigint[], integer[], integer[], integer[], double precision[], double precision[]);
"""


def upgrade():
    op.create_table(
        "agency_camera_cells",
        # No foreign key: derived counts, which a camera's trigger may still adjust while an agency goes.
        sa.Column("agency_id", sa.BigInteger(), primary_key=True),
        sa.Column("cell_x", sa.Integer(), primary_key=True),
        sa.Column("cell_y", sa.Integer(), primary_key=True),
        sa.Column("cameras", sa.Integer(), nullable=False),
        sa.Column("lon_sum", sa.Float(precision=53), nullable=False),
        sa.Column("lat_sum", sa.Float(precision=53), nullable=False),
    )
    op.execute(FUNCTIONS)
    op.execute("SELECT agency_cells_rebuild()")


def downgrade():
    op.execute(DROP_FUNCTIONS)
    op.drop_table("agency_camera_cells")
