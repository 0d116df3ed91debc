-- A data release never changes, except its one withdrawal (migration 0018).

CREATE OR REPLACE FUNCTION data_releases_immutable()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'data_releases' AND OLD.withdrawn_on IS NULL
       AND NEW.withdrawn_on IS NOT NULL
       AND (to_jsonb(NEW) - 'withdrawn_on' - 'withdrawn_reason')
           = (to_jsonb(OLD) - 'withdrawn_on' - 'withdrawn_reason') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a data release never changes (only a withdrawal with a reason, once)';
END $$;

CREATE OR REPLACE TRIGGER data_releases_immutable BEFORE DELETE OR UPDATE ON data_releases FOR EACH ROW EXECUTE FUNCTION data_releases_immutable();
CREATE OR REPLACE TRIGGER release_cameras_immutable BEFORE DELETE OR UPDATE ON release_cameras FOR EACH ROW EXECUTE FUNCTION data_releases_immutable();
CREATE OR REPLACE TRIGGER release_figures_immutable BEFORE DELETE OR UPDATE ON release_figures FOR EACH ROW EXECUTE FUNCTION data_releases_immutable();
