"""users.session_version: a number every session of the account carries; logging out raises it, which ends
every copy of the session (signed cookies cannot be revoked one by one)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "users", sa.Column("session_version", sa.Integer(), server_default=sa.text("1"), nullable=False)
    )
    op.create_check_constraint("user_session_version_positive", "users", "session_version >= 1")


def downgrade():
    op.drop_constraint("user_session_version_positive", "users", type_="check")
    op.drop_column("users", "session_version")
