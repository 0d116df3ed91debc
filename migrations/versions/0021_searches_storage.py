"""searches storage at scale: a searcher x month rollup for the answers over a period

`search_searcher_months` (log x month x searcher: searches, immigration-related searches, multi-network
searches) holds at most months x searchers rows per log (32 x 5,363 for the issue's city log), where
`search_counts` multiplies that by categories and search types; the answers over a period list their
searchers from it. The import keeps it in the statement that stores a file's searches (the immigration flag
is the reasons' class under the log's rule version); `flask searches reclassify` rebuilds it from
`search_reason_counts`.

Citus, later: distributed on `log_id`, co-located with `search_counts`.

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-07 15:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

FILL = """
INSERT INTO search_searcher_months (log_id, month, searcher_id, searches, immigration, multi_network)
SELECT r.log_id, r.month, r.searcher_id, sum(r.searches),
       coalesce(sum(r.searches) FILTER (WHERE k.immigration), 0), sum(r.multi_network)
FROM search_reason_counts AS r
JOIN search_logs AS l ON l.id = r.log_id
JOIN search_reason_classes AS k ON k.reason_id = r.reason_id AND k.rule_version = l.rule_version
GROUP BY 1, 2, 3
"""


def upgrade():
    op.create_table(
        "search_searcher_months",
        sa.Column("log_id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.Date(), primary_key=True),
        sa.Column("searcher_id", sa.Integer(), primary_key=True),
        sa.Column("searches", sa.BigInteger(), nullable=False),
        sa.Column("immigration", sa.BigInteger(), nullable=False),
        sa.Column("multi_network", sa.BigInteger(), nullable=False),
    )
    op.execute(FILL)


def downgrade():
    op.drop_table("search_searcher_months")
