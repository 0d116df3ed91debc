"""audit events record the fields they changed; cameras.first_seen_month is first_reported_month; demo
cameras are marked as such

`moderation_events.changes` holds [{"field", "from", "to"}, ...] for actions that change a camera's fields (a
verification with a moderator's corrections), so the history shows what was changed and a correction can be
reverted. The camera column gets the name the API has always used for it ("first_reported"). `cameras.demo`
marks the synthetic cameras of `flask cameras seed-demo` (until now told apart only by "(demo data)" in their
operator), so that exports and figures leave them out.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("moderation_events", sa.Column("changes", postgresql.JSONB(), nullable=True))
    op.alter_column("cameras", "first_seen_month", new_column_name="first_reported_month")
    op.add_column("cameras", sa.Column("demo", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    op.execute("UPDATE cameras SET demo = true WHERE source = 'report' AND operator LIKE '%(demo data)'")


def downgrade():
    op.drop_column("cameras", "demo")
    op.alter_column("cameras", "first_reported_month", new_column_name="first_seen_month")
    op.drop_column("moderation_events", "changes")
