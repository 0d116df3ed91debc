-- The citable cameras of each agency per vendor and 0.1 degree map cell (agency_camera_cells), kept by
-- statement-level triggers; agency_cells_rebuild() computes them again (migrations 0011, 0015).

CREATE OR REPLACE FUNCTION agency_cells_apply(agencies bigint[], vendors text[], xs integer[], ys integer[], deltas integer[], lons double precision[], lats double precision[])
 RETURNS void
 LANGUAGE sql
AS $$
    INSERT INTO agency_camera_cells (agency_id, vendor, cell_x, cell_y, cameras, lon_sum, lat_sum)
    SELECT agency_id, vendor, cell_x, cell_y, sum(delta)::integer, sum(lon), sum(lat)
    FROM unnest(agencies, vendors, xs, ys, deltas, lons, lats)
         AS change(agency_id, vendor, cell_x, cell_y, delta, lon, lat)
    GROUP BY 1, 2, 3, 4
    HAVING sum(delta) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (agency_id, vendor, cell_x, cell_y) DO UPDATE SET
        cameras = agency_camera_cells.cameras + EXCLUDED.cameras,
        lon_sum = agency_camera_cells.lon_sum + EXCLUDED.lon_sum,
        lat_sum = agency_camera_cells.lat_sum + EXCLUDED.lat_sum;
$$;

CREATE OR REPLACE FUNCTION agency_cells_follow_cameras()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM agency_cells_apply(array_agg(agency_id), array_agg(vendor), array_agg(x), array_agg(y), array_agg(delta),
                                   array_agg(lon), array_agg(lat))
        FROM (
            SELECT agency_id, vendor, floor(ST_X(geom) / 0.1)::integer AS x, floor(ST_Y(geom) / 0.1)::integer AS y,
                   1 AS delta, ST_X(geom) AS lon, ST_Y(geom) AS lat
            FROM new_cameras WHERE camera_citable(status, demo) AND agency_id IS NOT NULL
        ) AS changes;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM agency_cells_apply(array_agg(agency_id), array_agg(vendor), array_agg(x), array_agg(y), array_agg(delta),
                                   array_agg(lon), array_agg(lat))
        FROM (
            SELECT agency_id, vendor, floor(ST_X(geom) / 0.1)::integer AS x, floor(ST_Y(geom) / 0.1)::integer AS y,
                   -1 AS delta, -ST_X(geom) AS lon, -ST_Y(geom) AS lat
            FROM old_cameras WHERE camera_citable(status, demo) AND agency_id IS NOT NULL
        ) AS changes;
    ELSE
        PERFORM agency_cells_apply(array_agg(agency_id), array_agg(vendor), array_agg(x), array_agg(y), array_agg(delta),
                                   array_agg(lon), array_agg(lat))
        FROM (
            SELECT o.agency_id, o.vendor, floor(ST_X(o.geom) / 0.1)::integer AS x,
                   floor(ST_Y(o.geom) / 0.1)::integer AS y, -1 AS delta, -ST_X(o.geom) AS lon, -ST_Y(o.geom) AS lat
            FROM old_cameras AS o JOIN new_cameras AS n USING (id)
            WHERE camera_citable(o.status, o.demo) AND o.agency_id IS NOT NULL AND (o.agency_id, o.vendor, o.status, o.demo, o.geom) IS DISTINCT FROM (n.agency_id, n.vendor, n.status, n.demo, n.geom)
            UNION ALL
            SELECT n.agency_id, n.vendor, floor(ST_X(n.geom) / 0.1)::integer, floor(ST_Y(n.geom) / 0.1)::integer,
                   1, ST_X(n.geom), ST_Y(n.geom)
            FROM old_cameras AS o JOIN new_cameras AS n USING (id)
            WHERE camera_citable(n.status, n.demo) AND n.agency_id IS NOT NULL AND (o.agency_id, o.vendor, o.status, o.demo, o.geom) IS DISTINCT FROM (n.agency_id, n.vendor, n.status, n.demo, n.geom)
        ) AS changes;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER agency_cells_after_delete AFTER DELETE ON cameras REFERENCING OLD TABLE AS old_cameras FOR EACH STATEMENT EXECUTE FUNCTION agency_cells_follow_cameras();
CREATE OR REPLACE TRIGGER agency_cells_after_insert AFTER INSERT ON cameras REFERENCING NEW TABLE AS new_cameras FOR EACH STATEMENT EXECUTE FUNCTION agency_cells_follow_cameras();
CREATE OR REPLACE TRIGGER agency_cells_after_update AFTER UPDATE ON cameras REFERENCING OLD TABLE AS old_cameras NEW TABLE AS new_cameras FOR EACH STATEMENT EXECUTE FUNCTION agency_cells_follow_cameras();

CREATE OR REPLACE FUNCTION agency_cells_rebuild()
 RETURNS bigint
 LANGUAGE plpgsql
AS $$
DECLARE
    rows_written bigint;
BEGIN
    LOCK TABLE cameras IN SHARE MODE;
    TRUNCATE agency_camera_cells;
    INSERT INTO agency_camera_cells (agency_id, vendor, cell_x, cell_y, cameras, lon_sum, lat_sum)
    SELECT agency_id, vendor, floor(ST_X(geom) / 0.1)::integer, floor(ST_Y(geom) / 0.1)::integer, count(*),
           sum(ST_X(geom)), sum(ST_Y(geom))
    FROM cameras WHERE camera_citable(status, demo) AND agency_id IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS rows_written = ROW_COUNT;
    RETURN rows_written;
END
$$;
