"""data_changes: one row per statement that changed the cameras, so the export files can follow every writer

The export check (webapp/opendata/export_jobs.py, every EXPORT_CHECK_EVERY seconds) must notice any change to
the cameras, whoever made it: a moderator, an import, a `psql` UPDATE that touches neither `version` nor
`updated_at`. A statement-level trigger appends a row here for each INSERT, UPDATE or DELETE that changed at
least one camera, and for a TRUNCATE (an UPDATE counts when a row's content changed, leaving out
`updated_at`, `version` and `photos_hidden`, which a visitor's flag sets and no export holds: the export
files, the jobs and their logs must not give away when someone flagged a camera); the sum of `changes` and the highest id for a subject are its data
version, which moves only when a transaction that changed it commits (the highest id tells apart two
versions with the same sum, one of them rolled back: ids are never reused). The table is append-only for
writers (no row is ever updated, so concurrent transactions never wait on each other here); the check folds
old rows into one (`data_changes_fold`), which keeps both.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FUNCTIONS = """
-- Transition tables have no statistics: without this the planner may pair every old row with every new one
-- (a nested loop, quadratic in the rows of the statement); a hash join reads each once.
CREATE FUNCTION data_changes_note() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off AS $$
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

-- Replaces a subject's committed rows by one holding their sum under the highest id: the version (the sum and
-- the highest id) stays, the table stays small. Only the rows this statement deleted are counted, so a
-- transaction committing meanwhile keeps its row.
CREATE FUNCTION data_changes_fold(folded_subject text) RETURNS void LANGUAGE plpgsql AS $$
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

CREATE TRIGGER data_changes_after_insert AFTER INSERT ON cameras
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION data_changes_note();
CREATE TRIGGER data_changes_after_update AFTER UPDATE ON cameras
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION data_changes_note();
CREATE TRIGGER data_changes_after_delete AFTER DELETE ON cameras
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION data_changes_note();
CREATE TRIGGER data_changes_after_truncate AFTER TRUNCATE ON cameras
    FOR EACH STATEMENT EXECUTE FUNCTION data_changes_note();
"""

DROP_FUNCTIONS = """
DROP TRIGGER data_changes_after_insert ON cameras;
DROP TRIGGER data_changes_after_update ON cameras;
DROP TRIGGER data_changes_after_delete ON cameras;
DROP TRIGGER data_changes_after_truncate ON cameras;
DROP FUNCTION data_changes_fold(text);
DROP FUNCTION data_changes_note();
"""


def upgrade():
    op.create_table(
        "data_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("changes", sa.BigInteger(), nullable=False, server_default="1"),
    )
    op.create_index("data_changes_subject", "data_changes", ["subject"])
    op.execute(FUNCTIONS)


def downgrade():
    op.execute(DROP_FUNCTIONS)
    op.drop_index("data_changes_subject", table_name="data_changes")
    op.drop_table("data_changes")
