-- The audit log is append-only (migration 0001).

CREATE OR REPLACE FUNCTION moderation_events_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
        BEGIN
            RAISE EXCEPTION 'moderation_events is append-only';
        END $$;

CREATE OR REPLACE TRIGGER moderation_events_append_only BEFORE DELETE OR UPDATE ON moderation_events FOR EACH ROW EXECUTE FUNCTION moderation_events_append_only();
