-- The rules every trigger, partial index and query of the cameras reads, each spelled out once here. Both
-- are IMMUTABLE single-SELECT SQL functions: PostgreSQL inlines them into the query that calls them and into
-- an index predicate, so `WHERE camera_citable(status, demo)` is planned as the condition itself and a
-- partial index on it serves every query that calls it. The Python side calls the same functions
-- (webapp.geo.public_cameras.citable(), webapp.kernel.vocabulary.LINKING_OPERATOR_STATES is tested equal).

-- A citable camera: public (verified) and not a demo camera. Exports, feeds, releases and every figure
-- count citable cameras only.
CREATE OR REPLACE FUNCTION camera_citable(status text, demo boolean)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $$
    SELECT status = 'verified' AND NOT demo
$$;

-- An operator link in one of these states puts the cameras of its text under its agency; the others leave
-- cameras.agency_id NULL.
CREATE OR REPLACE FUNCTION operator_link_active(state text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $$
    SELECT state IN ('linked', 'confirmed')
$$;
