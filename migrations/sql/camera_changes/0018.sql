-- Every camera that becomes citable, moves while citable or is taken down appends a dated row to
-- camera_changes (migration 0018).

CREATE OR REPLACE FUNCTION camera_changes_follow_inserts()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO camera_changes (camera_id, kind, geom, vendor)
    SELECT id, 'verified', geom, vendor
    FROM new_cameras WHERE status = 'verified' AND NOT demo ORDER BY id;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER camera_changes_after_insert AFTER INSERT ON cameras REFERENCING NEW TABLE AS new_cameras FOR EACH STATEMENT EXECUTE FUNCTION camera_changes_follow_inserts();

CREATE OR REPLACE FUNCTION camera_changes_follow_updates()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO camera_changes (camera_id, kind, geom, vendor)
    SELECT n.id,
           CASE WHEN n.status = 'removed' THEN 'removed'
                WHEN o.status = 'verified' AND NOT o.demo THEN 'moved'
                ELSE 'verified' END,
           n.geom, n.vendor
    FROM old_cameras AS o JOIN new_cameras AS n ON n.id = o.id
    WHERE (n.status = 'verified' AND NOT n.demo AND NOT (o.status = 'verified' AND NOT o.demo))
       OR (n.status = 'verified' AND NOT n.demo AND o.status = 'verified' AND NOT o.demo
           AND NOT ST_Equals(o.geom, n.geom))
       OR (n.status = 'removed' AND o.status = 'verified' AND NOT o.demo)
    ORDER BY n.id;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER camera_changes_after_update AFTER UPDATE ON cameras REFERENCING OLD TABLE AS old_cameras NEW TABLE AS new_cameras FOR EACH STATEMENT EXECUTE FUNCTION camera_changes_follow_updates();
