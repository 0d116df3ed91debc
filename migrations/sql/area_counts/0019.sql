-- Each camera's state and county (a row trigger on insert and on a move), and the citable cameras per area,
-- vendor, operator and source (area_camera_counts) kept by statement-level triggers; area_counts_rebuild()
-- computes them again (migration 0006).

CREATE OR REPLACE FUNCTION area_geoids_at(point geometry, OUT state_geoid text, OUT county_geoid text)
 RETURNS record
 LANGUAGE plpgsql
 STABLE
AS $$
DECLARE
    nearest_county text;
BEGIN
    SELECT left(p.geoid, 2), p.geoid INTO state_geoid, county_geoid
    FROM area_parts AS p WHERE p.kind = 'county' AND ST_Intersects(p.geom, point) ORDER BY p.geoid LIMIT 1;
    IF county_geoid IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT p.geoid INTO state_geoid
    FROM area_parts AS p WHERE p.kind = 'state' AND ST_Intersects(p.geom, point) ORDER BY p.geoid LIMIT 1;
    -- (SELECT .. INTO sets its targets to NULL when nothing is found: hence a variable of its own.)
    SELECT p.geoid INTO nearest_county
    FROM area_parts AS p
    WHERE p.kind = 'county' AND ST_DWithin(p.geom, point, 0.05)
      AND (state_geoid IS NULL OR left(p.geoid, 2) = state_geoid)
    ORDER BY p.geom <-> point, p.geoid LIMIT 1;
    IF nearest_county IS NOT NULL THEN
        county_geoid := nearest_county;
        state_geoid := left(nearest_county, 2);
    ELSIF state_geoid IS NULL THEN
        SELECT p.geoid INTO state_geoid
        FROM area_parts AS p WHERE p.kind = 'state' AND ST_DWithin(p.geom, point, 0.05)
        ORDER BY p.geom <-> point, p.geoid LIMIT 1;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION cameras_locate_area()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    SELECT located.state_geoid, located.county_geoid INTO NEW.state_geoid, NEW.county_geoid
    FROM area_geoids_at(NEW.geom) AS located;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER cameras_area_on_insert BEFORE INSERT ON cameras FOR EACH ROW EXECUTE FUNCTION cameras_locate_area();
CREATE OR REPLACE TRIGGER cameras_area_on_move BEFORE UPDATE OF geom ON cameras FOR EACH ROW WHEN ((old.geom IS DISTINCT FROM new.geom)) EXECUTE FUNCTION cameras_locate_area();

CREATE OR REPLACE FUNCTION areas_assign_cameras()
 RETURNS bigint
 LANGUAGE plpgsql
AS $$
DECLARE
    changed bigint;
BEGIN
    UPDATE cameras AS c SET state_geoid = located.state_geoid, county_geoid = located.county_geoid
    FROM (SELECT id, (area_geoids_at(geom)).* FROM cameras) AS located
    WHERE located.id = c.id
      AND (c.state_geoid, c.county_geoid) IS DISTINCT FROM (located.state_geoid, located.county_geoid);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$$;

CREATE OR REPLACE FUNCTION area_counts_apply(geoids text[], vendors text[], operators text[], sources text[], deltas integer[])
 RETURNS void
 LANGUAGE plpgsql
AS $$
DECLARE
    changed bigint;
BEGIN
    INSERT INTO area_camera_counts (geoid, vendor, operator, source, cameras)
    SELECT change.geoid, change.vendor, change.operator, change.source, sum(change.delta)::integer
    FROM unnest(geoids, vendors, operators, sources, deltas) AS change(geoid, vendor, operator, source, delta)
    GROUP BY 1, 2, 3, 4
    HAVING sum(change.delta) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (geoid, vendor, operator, source)
    DO UPDATE SET cameras = area_camera_counts.cameras + EXCLUDED.cameras;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed > 0 THEN
        INSERT INTO area_counts_version (id, version) VALUES (1, nextval('area_counts_version_seq'))
            ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION area_counts_follow_cameras()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM area_counts_apply(array_agg(geoid), array_agg(vendor), array_agg(operator), array_agg(source),
                                  array_agg(delta))
        FROM (
            SELECT geoid, vendor, coalesce(operator, '') AS operator, source, count(*)::integer AS delta
            FROM new_cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
            WHERE camera_citable(status, demo) AND geoid IS NOT NULL
            GROUP BY 1, 2, 3, 4
        ) AS changes;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM area_counts_apply(array_agg(geoid), array_agg(vendor), array_agg(operator), array_agg(source),
                                  array_agg(delta))
        FROM (
            SELECT geoid, vendor, coalesce(operator, '') AS operator, source, -count(*)::integer AS delta
            FROM old_cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
            WHERE camera_citable(status, demo) AND geoid IS NOT NULL
            GROUP BY 1, 2, 3, 4
        ) AS changes;
    ELSE
        -- Rows whose counted fields did not change cancel out in the sum.
        PERFORM area_counts_apply(array_agg(geoid), array_agg(vendor), array_agg(operator), array_agg(source),
                                  array_agg(delta))
        FROM (
            SELECT geoid, vendor, operator, source, sum(delta)::integer AS delta
            FROM (
                SELECT geoid, vendor, coalesce(operator, '') AS operator, source, -1 AS delta
                FROM old_cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
                WHERE camera_citable(status, demo) AND geoid IS NOT NULL
                UNION ALL
                SELECT geoid, vendor, coalesce(operator, ''), source, 1
                FROM new_cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
                WHERE camera_citable(status, demo) AND geoid IS NOT NULL
            ) AS both_sides
            GROUP BY 1, 2, 3, 4
            HAVING sum(delta) <> 0
        ) AS changes;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER area_counts_after_delete AFTER DELETE ON cameras REFERENCING OLD TABLE AS old_cameras FOR EACH STATEMENT EXECUTE FUNCTION area_counts_follow_cameras();
CREATE OR REPLACE TRIGGER area_counts_after_insert AFTER INSERT ON cameras REFERENCING NEW TABLE AS new_cameras FOR EACH STATEMENT EXECUTE FUNCTION area_counts_follow_cameras();
CREATE OR REPLACE TRIGGER area_counts_after_update AFTER UPDATE ON cameras REFERENCING OLD TABLE AS old_cameras NEW TABLE AS new_cameras FOR EACH STATEMENT EXECUTE FUNCTION area_counts_follow_cameras();

CREATE OR REPLACE FUNCTION area_counts_rebuild()
 RETURNS bigint
 LANGUAGE plpgsql
AS $$
DECLARE
    rows_written bigint;
BEGIN
    LOCK TABLE cameras IN SHARE MODE;
    TRUNCATE area_camera_counts;
    INSERT INTO area_camera_counts (geoid, vendor, operator, source, cameras)
    SELECT geoid, vendor, coalesce(operator, ''), source, count(*)
    FROM cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
    WHERE camera_citable(status, demo) AND geoid IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS rows_written = ROW_COUNT;
    INSERT INTO area_counts_version (id, version) VALUES (1, nextval('area_counts_version_seq'))
        ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN rows_written;
END
$$;
