"""sightings.demo: the pending demo reports `make run` seeds for the review queue

Why. A fresh install loads real cameras (data/), so the synthetic demo cameras no longer stand in for data;
what a newcomer still needs is something to moderate. `flask cameras seed-demo-reports` adds a few pending
reports marked `demo`. A demo report verified by a moderator becomes a demo camera (`cameras.demo`, migration
0001), which no figure or export counts; it cannot be merged into a real camera.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "sightings", sa.Column("demo", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )


def downgrade():
    op.drop_column("sightings", "demo")
