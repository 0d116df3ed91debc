-- A camera's agency follows its operator text's decision in operator_links, per state (migrations 0008,
-- 0009, 0015).

CREATE OR REPLACE FUNCTION operator_link_agency(camera_operator text, camera_state text)
 RETURNS bigint
 LANGUAGE plpgsql
 STABLE
AS $$
DECLARE
    linked_agency bigint;
BEGIN
    SELECT CASE WHEN l.state IN ('linked', 'confirmed') THEN l.agency_id END INTO linked_agency
    FROM operator_links AS l
    WHERE l.operator_key = lower(btrim(camera_operator)) AND l.state_geoid IN (coalesce(camera_state, ''), '')
    ORDER BY l.state_geoid = '' LIMIT 1;
    RETURN linked_agency;
END
$$;

CREATE OR REPLACE FUNCTION cameras_take_operator_agency()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    SELECT CASE WHEN l.state IN ('linked', 'confirmed') THEN l.agency_id END INTO NEW.agency_id
    FROM operator_links AS l
    WHERE l.operator_key = lower(btrim(NEW.operator)) AND l.state_geoid IN (coalesce(NEW.state_geoid, ''), '')
    ORDER BY l.state_geoid = '' LIMIT 1;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER cameras_operator_agency_on_change BEFORE UPDATE OF operator, geom, state_geoid ON cameras FOR EACH ROW WHEN ((((old.operator)::text IS DISTINCT FROM (new.operator)::text) OR (old.geom IS DISTINCT FROM new.geom) OR ((old.state_geoid)::text IS DISTINCT FROM (new.state_geoid)::text))) EXECUTE FUNCTION cameras_take_operator_agency();
CREATE OR REPLACE TRIGGER cameras_operator_agency_on_insert BEFORE INSERT ON cameras FOR EACH ROW EXECUTE FUNCTION cameras_take_operator_agency();

CREATE OR REPLACE FUNCTION operator_links_move_cameras(changed text[])
 RETURNS void
 LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE cameras AS c SET agency_id = operator_link_agency(c.operator, c.state_geoid)
    WHERE lower(btrim(c.operator)) = ANY(changed)
      AND c.agency_id IS DISTINCT FROM operator_link_agency(c.operator, c.state_geoid);
END
$$;

CREATE OR REPLACE FUNCTION operator_links_after_insert()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM operator_links_move_cameras(ARRAY(SELECT operator_key FROM new_links));
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER operator_links_insert AFTER INSERT ON operator_links REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION operator_links_after_insert();

CREATE OR REPLACE FUNCTION operator_links_after_update()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM operator_links_move_cameras(ARRAY(
        SELECT n.operator_key FROM new_links AS n JOIN old_links AS o USING (operator_key, state_geoid)
        WHERE (n.state, n.agency_id) IS DISTINCT FROM (o.state, o.agency_id)));
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER operator_links_update AFTER UPDATE ON operator_links REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION operator_links_after_update();

CREATE OR REPLACE FUNCTION operator_links_after_delete()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM operator_links_move_cameras(ARRAY(SELECT operator_key FROM old_links));
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER operator_links_delete AFTER DELETE ON operator_links REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION operator_links_after_delete();
