-- Every statement that changes cameras' content appends a row to data_changes; data_changes_fold() folds a
-- subject's rows into one (migration 0013).

CREATE OR REPLACE FUNCTION data_changes_note()
 RETURNS trigger
 LANGUAGE plpgsql
 SET enable_nestloop TO 'off'
AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Only a row whose content changed counts, leaving out the bookkeeping columns and the one a visitor's
        -- flag sets (photos_hidden, which no export holds): the export files' times never follow a flag. The
        -- new row with those three columns put back to their old values is compared with the old row; the
        -- first changed row ends the search.
        IF NOT EXISTS (
            SELECT 1 FROM old_rows AS o JOIN changed_rows AS n USING (id)
            WHERE jsonb_populate_record(n, jsonb_build_object(
                      'photos_hidden', o.photos_hidden, 'updated_at', o.updated_at, 'version', o.version))
                  IS DISTINCT FROM o
        ) THEN
            RETURN NULL;
        END IF;
    ELSIF TG_OP <> 'TRUNCATE' THEN
        -- A statement that matched no row (a DELETE .. WHERE nothing) changed nothing.
        IF NOT EXISTS (SELECT 1 FROM changed_rows) THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO data_changes (subject) VALUES (TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER data_changes_after_delete AFTER DELETE ON cameras REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION data_changes_note();
CREATE OR REPLACE TRIGGER data_changes_after_insert AFTER INSERT ON cameras REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION data_changes_note();
CREATE OR REPLACE TRIGGER data_changes_after_truncate AFTER TRUNCATE ON cameras FOR EACH STATEMENT EXECUTE FUNCTION data_changes_note();
CREATE OR REPLACE TRIGGER data_changes_after_update AFTER UPDATE ON cameras REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION data_changes_note();

CREATE OR REPLACE FUNCTION data_changes_fold(folded_subject text)
 RETURNS void
 LANGUAGE plpgsql
AS $$
DECLARE
    last_id bigint;
    total bigint;
BEGIN
    WITH gone AS (DELETE FROM data_changes WHERE subject = folded_subject RETURNING id, changes)
    SELECT max(id), sum(changes) INTO last_id, total FROM gone;
    IF last_id IS NOT NULL THEN
        INSERT INTO data_changes (id, subject, changes) VALUES (last_id, folded_subject, total);
    END IF;
END
$$;
