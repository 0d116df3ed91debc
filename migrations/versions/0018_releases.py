"""numbered data releases, the dated changes of the citable cameras (for the Atom feeds), drawn feed areas

`data_releases` is one row per release written by `flask opendata release` (webapp/releases): its number,
day, folder, the sha256 of its datapackage.json and what changed since the release before it. A release never
changes: a trigger refuses UPDATE and DELETE except the one withdrawal (a day and a stated reason, set once).
`release_cameras` keeps each release's citable cameras (id and position) so the next release can say which
were added, removed or moved; `release_figures` the camera count of every state, county and agency as it
stood, for "cite this" on the live pages.

`camera_changes` is one row per camera that became citable ('verified'), moved while citable ('moved') or was
taken down while citable ('removed'), with the day only (UTC) and where it stood: the feeds of a state,
county or agency read it through the camera's current state, county or agency (an import that links
operators to agencies afterwards still fills the agency's feed), a drawn area's through its position. Statement-level triggers with transition tables
fill it from every writer of `cameras` (moderation, imports, psql), as the counts of 0002, 0006 and 0011 are
kept. The citable condition (verified, not demo) is webapp/geo/public_cameras.py CITABLE.

`feed_areas` keeps a drawn polygon under the hash in its feed's URL.

Revision ID: 0018
Revises: 0017
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE data_releases (
    number integer PRIMARY KEY CHECK (number > 0),
    released_on date NOT NULL,
    folder varchar NOT NULL UNIQUE,
    cameras integer NOT NULL CHECK (cameras >= 0),
    datapackage_sha256 varchar NOT NULL CHECK (datapackage_sha256 ~ '^[0-9a-f]{64}$'),
    datapackage_bytes integer NOT NULL,
    changes jsonb NOT NULL,
    withdrawn_on date,
    withdrawn_reason varchar,
    CONSTRAINT data_release_withdrawal_complete CHECK ((withdrawn_on IS NULL) = (withdrawn_reason IS NULL)),
    CONSTRAINT data_release_withdrawal_reason CHECK (
        withdrawn_reason IS NULL OR char_length(btrim(withdrawn_reason)) BETWEEN 10 AND 500)
);

CREATE TABLE release_cameras (
    release_number integer NOT NULL REFERENCES data_releases (number) DEFERRABLE INITIALLY DEFERRED,
    camera_id bigint NOT NULL,
    lon double precision NOT NULL,
    lat double precision NOT NULL,
    PRIMARY KEY (release_number, camera_id)
);

CREATE TABLE release_figures (
    release_number integer NOT NULL REFERENCES data_releases (number) DEFERRABLE INITIALLY DEFERRED,
    kind varchar NOT NULL CHECK (kind IN ('state', 'county', 'agency')),
    key varchar NOT NULL,
    cameras integer NOT NULL,
    PRIMARY KEY (release_number, kind, key)
);

-- A release is immutable: the only change allowed is its withdrawal, once, with a reason.
CREATE FUNCTION data_releases_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'data_releases' AND OLD.withdrawn_on IS NULL
       AND NEW.withdrawn_on IS NOT NULL
       AND (to_jsonb(NEW) - 'withdrawn_on' - 'withdrawn_reason')
           = (to_jsonb(OLD) - 'withdrawn_on' - 'withdrawn_reason') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a data release never changes (only a withdrawal with a reason, once)';
END $$;
CREATE TRIGGER data_releases_immutable BEFORE UPDATE OR DELETE ON data_releases
    FOR EACH ROW EXECUTE FUNCTION data_releases_immutable();
CREATE TRIGGER release_cameras_immutable BEFORE UPDATE OR DELETE ON release_cameras
    FOR EACH ROW EXECUTE FUNCTION data_releases_immutable();
CREATE TRIGGER release_figures_immutable BEFORE UPDATE OR DELETE ON release_figures
    FOR EACH ROW EXECUTE FUNCTION data_releases_immutable();

CREATE TABLE camera_changes (
    id bigserial PRIMARY KEY,
    camera_id bigint NOT NULL,
    kind varchar NOT NULL CHECK (kind IN ('verified', 'moved', 'removed')),
    changed_on date NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')::date,
    geom geometry(Point, 4326) NOT NULL,
    vendor varchar NOT NULL
);
CREATE INDEX ix_camera_changes_camera ON camera_changes (camera_id, id);
CREATE INDEX idx_camera_changes_geom ON camera_changes USING gist (geom);

CREATE FUNCTION camera_changes_follow_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO camera_changes (camera_id, kind, geom, vendor)
    SELECT id, 'verified', geom, vendor
    FROM new_cameras WHERE status = 'verified' AND NOT demo ORDER BY id;
    RETURN NULL;
END $$;

CREATE FUNCTION camera_changes_follow_updates() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER camera_changes_after_insert AFTER INSERT ON cameras
    REFERENCING NEW TABLE AS new_cameras FOR EACH STATEMENT EXECUTE FUNCTION camera_changes_follow_inserts();
CREATE TRIGGER camera_changes_after_update AFTER UPDATE ON cameras
    REFERENCING OLD TABLE AS old_cameras NEW TABLE AS new_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION camera_changes_follow_updates();

CREATE TABLE feed_areas (
    hash varchar PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{32}$'),
    geom geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX idx_feed_areas_geom ON feed_areas USING gist (geom);
"""

DOWNGRADE = """
DROP TABLE feed_areas;
DROP TRIGGER camera_changes_after_update ON cameras;
DROP TRIGGER camera_changes_after_insert ON cameras;
DROP FUNCTION camera_changes_follow_updates();
DROP FUNCTION camera_changes_follow_inserts();
DROP TABLE camera_changes;
DROP TABLE release_figures;
DROP TABLE release_cameras;
DROP TABLE data_releases;
DROP FUNCTION data_releases_immutable();
"""


def upgrade():
    op.execute(UPGRADE)


def downgrade():
    op.execute(DOWNGRADE)
