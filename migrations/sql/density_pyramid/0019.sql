-- The density pyramid (density_cells): every public camera (status verified, demo ones included: the map
-- draws them) counted per cell at zooms 0..13, kept by statement-level triggers; density_rebuild() computes
-- it again from the cameras (migration 0002).

CREATE OR REPLACE FUNCTION density_cell_x(lon double precision)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $$
    SELECT least(greatest(floor((lon + 180.0) / 360.0 * 262144), 0), 262143)::integer
$$;

CREATE OR REPLACE FUNCTION density_cell_y(lat double precision)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $$
    SELECT least(greatest(floor(
        (1.0 - ln(tan(radians(least(greatest(lat, -85.0511287798), 85.0511287798)))
                  + 1.0 / cos(radians(least(greatest(lat, -85.0511287798), 85.0511287798)))) / pi())
        / 2.0 * 262144), 0), 262143)::integer
$$;

CREATE OR REPLACE FUNCTION density_apply(xs integer[], ys integer[], deltas integer[])
 RETURNS void
 LANGUAGE sql
AS $$
    INSERT INTO density_cells (z, x, y, cameras)
    SELECT zoom, change.x >> (13 - zoom), change.y >> (13 - zoom), sum(change.delta)::integer
    FROM unnest(xs, ys, deltas) AS change(x, y, delta)
    CROSS JOIN generate_series(0, 13) AS zoom
    GROUP BY 1, 2, 3
    HAVING sum(change.delta) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (z, x, y) DO UPDATE SET cameras = density_cells.cameras + EXCLUDED.cameras
$$;

CREATE OR REPLACE FUNCTION density_follow_cameras()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
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

CREATE OR REPLACE TRIGGER density_after_delete AFTER DELETE ON cameras REFERENCING OLD TABLE AS old_cameras FOR EACH STATEMENT EXECUTE FUNCTION density_follow_cameras();
CREATE OR REPLACE TRIGGER density_after_insert AFTER INSERT ON cameras REFERENCING NEW TABLE AS new_cameras FOR EACH STATEMENT EXECUTE FUNCTION density_follow_cameras();
CREATE OR REPLACE TRIGGER density_after_update AFTER UPDATE ON cameras REFERENCING OLD TABLE AS old_cameras NEW TABLE AS new_cameras FOR EACH STATEMENT EXECUTE FUNCTION density_follow_cameras();

CREATE OR REPLACE FUNCTION density_rebuild()
 RETURNS bigint
 LANGUAGE plpgsql
AS $$
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
