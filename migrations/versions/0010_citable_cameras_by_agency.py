"""the verified, non-demo cameras of each agency in one covering index

"The cameras that feed a receiver" reads every citable camera of a hundred agencies or more (300,000 of a
million in the benchmark): their count per agency, per vendor, and their positions for the map. The index of
0008 on (agency_id, status) still reads every row from the table to test `NOT demo` and to fetch the point.
This partial index holds only citable cameras, with the vendor and the point alongside, so those reads are
index-only scans (docs/benchmarks.md, "Agencies: pages and receivers").

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 14:00:00

"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "CREATE INDEX ix_cameras_citable_by_agency ON cameras (agency_id, id) INCLUDE (vendor, geom) "
        "WHERE status = 'verified' AND NOT demo AND agency_id IS NOT NULL"
    )


def downgrade():
    op.drop_index("ix_cameras_citable_by_agency", table_name="cameras")
