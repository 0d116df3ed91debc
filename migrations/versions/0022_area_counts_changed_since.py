"""area counts: the version that last changed each count row, so the app recomputes only what changed

`area_camera_counts.version` is the version of the change that last wrote the row (indexed: "which areas
changed since version v" reads a few index entries), and `area_counts_version.recounted` the last version
that changed more than counts (a rebuild, an areas import, an operator link or an agency's name), before
which nothing the app computed can be kept. `area_counts_move_version()` locks the version row before taking
the number, so versions grow in commit order and a reader that saw version v finds every later change above
v. The coverage figures (webapp/coverage/area_figures.py) then recompute, when counts change, the totals and
breakdowns of the changed areas only and every area's rank (docs/benchmarks.md, "Coverage").

Revision ID: 0022
Revises: 0021
"""

from pathlib import Path

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

SQL = Path(__file__).resolve().parent.parent / "sql" / "area_counts"


def upgrade():
    op.execute("ALTER TABLE area_counts_version ADD COLUMN recounted bigint")
    op.execute("UPDATE area_counts_version SET recounted = version")
    op.execute("ALTER TABLE area_counts_version ALTER COLUMN recounted SET NOT NULL")
    op.execute("ALTER TABLE area_camera_counts ADD COLUMN version bigint")
    op.execute(
        "UPDATE area_camera_counts SET version = "
        "coalesce((SELECT version FROM area_counts_version WHERE id = 1), 0)"
    )
    op.execute("ALTER TABLE area_camera_counts ALTER COLUMN version SET NOT NULL")
    op.create_index("ix_area_camera_counts_version", "area_camera_counts", ["version"])
    op.execute((SQL / "0022.sql").read_text(encoding="utf-8"))


def downgrade():
    op.execute("DROP TRIGGER area_counts_after_agency_names ON agencies")
    op.execute("DROP TRIGGER area_counts_after_links ON operator_links")
    op.execute("DROP FUNCTION area_counts_follow_links()")
    op.execute((SQL / "0019.sql").read_text(encoding="utf-8"))
    op.execute("DROP FUNCTION area_counts_move_version(boolean)")
    op.drop_index("ix_area_camera_counts_version", table_name="area_camera_counts")
    op.drop_column("area_camera_counts", "version")
    op.drop_column("area_counts_version", "recounted")
