-- Optimistic locking: every UPDATE of a row with a `version` column moves it on, whoever writes (the ORM,
-- which reads the new value back through RETURNING with version_id_generator=False, a set-based import, a
-- trigger, psql). A writer never sets `version` itself; a statement that leaves a row out (the import's
-- `WHERE .. IS DISTINCT FROM`) moves nothing.
CREATE OR REPLACE FUNCTION row_version_bump()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER agencies_version_bump BEFORE UPDATE ON agencies FOR EACH ROW EXECUTE FUNCTION row_version_bump();
CREATE OR REPLACE TRIGGER agency_sharing_version_bump BEFORE UPDATE ON agency_sharing FOR EACH ROW EXECUTE FUNCTION row_version_bump();
CREATE OR REPLACE TRIGGER cameras_version_bump BEFORE UPDATE ON cameras FOR EACH ROW EXECUTE FUNCTION row_version_bump();
CREATE OR REPLACE TRIGGER flags_version_bump BEFORE UPDATE ON flags FOR EACH ROW EXECUTE FUNCTION row_version_bump();
CREATE OR REPLACE TRIGGER operator_links_version_bump BEFORE UPDATE ON operator_links FOR EACH ROW EXECUTE FUNCTION row_version_bump();
CREATE OR REPLACE TRIGGER sightings_version_bump BEFORE UPDATE ON sightings FOR EACH ROW EXECUTE FUNCTION row_version_bump();
