"""every trigger and SQL function from versioned files; the citable rule and the linking states once; one version bump

The current definition of every SQL function and trigger is in migrations/sql/<group>/<revision>.sql: the
file with the highest revision in a group's folder is the live one (docs/architecture.md, "SQL definitions",
says how to change one). This revision writes every group's 0019.sql:

- `camera_rules`: `camera_citable(status, demo)` (verified and not demo) and `operator_link_active(state)`
  ('linked', 'confirmed'), immutable SQL functions PostgreSQL inlines; the area counts, agency cells and
  camera changes triggers, `operator_link_agency()`, the partial index `ix_cameras_citable_by_agency` and
  the CHECK of operator_links call them instead of spelling the rules out;
- `row_versions`: a BEFORE UPDATE trigger moves `version` on for every writer of the six tables with
  optimistic locking (the ORM reads it back: version_id_generator=False), in place of six hand-written
  `version = version + 1`;
- every other group unchanged in substance (written from the live definitions as 0018 left them).

The downgrade runs each changed group's 0018.sql (the definitions as migrations 0006, 0008, 0011, 0015 and
0018 left them) and drops what this revision added.

Revision ID: 0019
Revises: 0018
"""

from pathlib import Path

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

SQL = Path(__file__).resolve().parent.parent / "sql"
# camera_rules first: the others call its functions.
GROUPS = (
    "camera_rules",
    "row_versions",
    "moderation_events",
    "density_pyramid",
    "area_counts",
    "operator_links",
    "agency_cells",
    "data_changes",
    "camera_changes",
    "releases",
    "search_rollups",
)
CHANGED_GROUPS = ("area_counts", "operator_links", "agency_cells", "camera_changes")
VERSIONED_TABLES = ("agencies", "agency_sharing", "cameras", "flags", "operator_links", "sightings")


def _run(group: str, revision_file: str) -> None:
    op.execute((SQL / group / f"{revision_file}.sql").read_text(encoding="utf-8"))


def _citable_index(predicate: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_cameras_citable_by_agency")
    op.execute(
        "CREATE INDEX ix_cameras_citable_by_agency ON cameras (agency_id, id) INCLUDE (vendor, geom) "
        f"WHERE {predicate} AND agency_id IS NOT NULL"
    )


def _link_check(condition: str) -> None:
    op.execute("ALTER TABLE operator_links DROP CONSTRAINT operator_link_agency_when_linked")
    op.execute(
        "ALTER TABLE operator_links ADD CONSTRAINT operator_link_agency_when_linked "
        f"CHECK ({condition} = (agency_id IS NOT NULL))"
    )


def upgrade():
    for group in GROUPS:
        _run(group, "0019")
    _citable_index("camera_citable(status, demo)")
    _link_check("operator_link_active(state)")


def downgrade():
    for table in VERSIONED_TABLES:
        op.execute(f"DROP TRIGGER {table}_version_bump ON {table}")
    op.execute("DROP FUNCTION row_version_bump()")
    for group in CHANGED_GROUPS:
        _run(group, "0018")
    _citable_index("status = 'verified' AND NOT demo")
    _link_check("(state IN ('linked', 'confirmed'))")
    op.execute("DROP FUNCTION operator_link_active(text)")
    op.execute("DROP FUNCTION camera_citable(text, boolean)")
