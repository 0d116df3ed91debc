"""operator links get an integer id: the audit log's target and the moderator queue's URLs

Why. `moderation_events.target_id` is an integer, and `operator_links` (migration 0008) is keyed by the
operator text (`lower(btrim(operator))`), so a decision on a link had nothing to point at. A generated
identity, unique, gives every link a stable number for its audit events and for `/moderate/agencies/
operators/<id>/...`; the text stays the primary key the camera triggers join on.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "operator_links",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
    )
    op.create_unique_constraint("operator_links_id_unique", "operator_links", ["id"])


def downgrade():
    recorded = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM moderation_events WHERE target_type = 'operator_link'"))
        .scalar_one()
    )
    if recorded:
        raise RuntimeError(
            f"{recorded} audit events point at operator links by their id; the audit log is append-only, "
            "so 0009 cannot be downgraded without losing what they refer to (restore a backup instead)"
        )
    op.drop_constraint("operator_links_id_unique", "operator_links", type_="unique")
    op.drop_column("operator_links", "id")
