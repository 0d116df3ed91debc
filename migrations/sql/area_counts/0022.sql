-- Each camera's state and county (a row trigger on insert and on a move), and the citable cameras per area,
-- vendor, operator and source (area_camera_counts) kept by statement-level triggers; area_counts_rebuild()
-- computes them again (migration 0006). Each count row carries the version that last changed it, and
-- area_counts_version.recounted the last version that changed more than counts (a rebuild, the areas, the
-- operators' links or agencies' names), so the app can recompute only the areas changed since the version
-- it holds (migration 0022).

-- Moves the version on and returns it, the version row locked first and the number taken after: versions
-- then grow in the order their transactions commit, so a reader that saw version v finds every later change
-- at a version above v. `recount`: the change is more than counts, nothing computed before it can be kept.
CREATE OR REPLACE FUNCTION area_counts_move_version(recount boolean)
 RETURNS bigint
 LANGUAGE plpgsql
AS $$
DECLARE
    moved bigint;
BEGIN
    PERFORM 1 FROM area_counts_version WHERE id = 1 FOR UPDATE;
    moved := nextval('area_counts_version_seq');
    INSERT INTO area_counts_version (id, version, recounted) VALUES (1, moved, moved)
        ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version,
            recounted = CASE WHEN recount THEN EXCLUDED.version ELSE area_counts_version.recounted END;
    RETURN moved;
END
$$;

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
    moved bigint;
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM unnest(geoids, vendors, operators, sources, deltas)
            AS change(geoid, vendor, operator, source, delta)
        GROUP BY change.geoid, change.vendor, change.operator, change.source HAVING sum(change.delta) <> 0
    ) THEN
        RETURN;
    END IF;
    moved := area_counts_move_version(false);
    INSERT INTO area_camera_counts (geoid, vendor, operator, source, cameras, version)
    SELECT change.geoid, change.vendor, change.operator, change.source, sum(change.delta)::integer, moved
    FROM unnest(geoids, vendors, operators, sources, deltas) AS change(geoid, vendor, operator, source, delta)
    GROUP BY 1, 2, 3, 4
    HAVING sum(change.delta) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (geoid, vendor, operator, source)
    DO UPDATE SET cameras = area_camera_counts.cameras + EXCLUDED.cameras, version = EXCLUDED.version;
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
    moved bigint;
BEGIN
    LOCK TABLE cameras IN SHARE MODE;
    moved := area_counts_move_version(true);
    TRUNCATE area_camera_counts;
    INSERT INTO area_camera_counts (geoid, vendor, operator, source, cameras, version)
    SELECT geoid, vendor, coalesce(operator, ''), source, count(*), moved
    FROM cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
    WHERE camera_citable(status, demo) AND geoid IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS rows_written = ROW_COUNT;
    RETURN rows_written;
END
$$;

-- The operators' breakdowns group texts by the agency their link names (operator_link_agency()) and show
-- the agency's name: a change of either is a recount for the figures kept by the app.
CREATE OR REPLACE FUNCTION area_counts_follow_links()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM area_counts_move_version(true);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER area_counts_after_links AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON operator_links FOR EACH STATEMENT EXECUTE FUNCTION area_counts_follow_links();
CREATE OR REPLACE TRIGGER area_counts_after_agency_names AFTER DELETE OR UPDATE OF name ON agencies FOR EACH STATEMENT EXECUTE FUNCTION area_counts_follow_links();
