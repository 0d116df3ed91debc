"""users.totp_secret: an account's second factor (TOTP), its secret encrypted with a key derived from
SECRET_KEY (webapp.accounts.two_factor), so a database dump alone does not give it away; NULL when none is set

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("totp_secret", sa.Text(), nullable=True))
    op.create_check_constraint("user_totp_secret_length", "users", "length(totp_secret) <= 200")


def downgrade():
    op.drop_constraint("user_totp_secret_length", "users", type_="check")
    op.drop_column("users", "totp_secret")
