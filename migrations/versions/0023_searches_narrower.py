"""searches on less disk: no `search_reason_counts`, and `devices` never NULL

Issue 21 allows 1.5 GB for a 17-million-search log; the bench's 17 M run took 1,842 MB, 359 MB of it in
`search_reason_counts` (log x month x searcher x reason x search type, about 3 million rows and their primary
key), kept only so that `flask searches reclassify` could rebuild the category counts without reading
`searches`. Reclassification is rare (a new rule version), so it now reads each log's searches once instead
(webapp.searches.reclassification), and the import no longer upserts those rows. Downgrading makes the table
again from `searches`.

`devices` (`Total Devices Searched`, a column most network logs lack) is stored as -1 when the file has
none, not as NULL: a row with a NULL carries a null bitmap that takes its header from 24 to 32 bytes, so a log
without that column took 84 bytes a row with its line pointer instead of 76. The windows stay nullable (a
missing Time Frame is a rare row, and only that row pays). The readers turn -1 back into "none"; the import's
duplicate check already compared a missing count as -1, so what is recognised as the same search is
unchanged.

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-07 17:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0021"
branch_labels = None
depends_on = None

OLD_CHECK = "networks >= 0 AND coalesce(devices, 0) >= 0"
NEW_CHECK = "networks >= 0 AND devices >= -1"

REFILL_REASON_COUNTS = """
INSERT INTO search_reason_counts (log_id, month, searcher_id, reason_id, search_type_id, searches, multi_network)
SELECT log_id, date_trunc('month', searched_at AT TIME ZONE 'UTC')::date, searcher_id, reason_id, search_type_id,
       count(*), count(*) FILTER (WHERE networks > 1)
FROM searches GROUP BY 1, 2, 3, 4, 5
"""


def upgrade():
    op.drop_table("search_reason_counts")
    op.drop_constraint("search_counts_positive", "searches", type_="check")
    # One rewrite in place of an UPDATE, which would leave a dead copy of every row it changed.
    op.execute(
        "ALTER TABLE searches ALTER COLUMN devices TYPE integer USING coalesce(devices, -1), "
        "ALTER COLUMN devices SET NOT NULL"
    )
    op.create_check_constraint("search_counts_positive", "searches", NEW_CHECK)


def downgrade():
    op.drop_constraint("search_counts_positive", "searches", type_="check")
    op.execute(
        "ALTER TABLE searches ALTER COLUMN devices DROP NOT NULL, "
        "ALTER COLUMN devices TYPE integer USING nullif(devices, -1)"
    )
    op.create_check_constraint("search_counts_positive", "searches", OLD_CHECK)
    op.create_table(
        "search_reason_counts",
        sa.Column("log_id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.Date(), primary_key=True),
        sa.Column("searcher_id", sa.Integer(), primary_key=True),
        sa.Column("reason_id", sa.Integer(), primary_key=True),
        sa.Column("search_type_id", sa.SmallInteger(), primary_key=True),
        sa.Column("searches", sa.BigInteger(), nullable=False),
        sa.Column("multi_network", sa.BigInteger(), nullable=False),
    )
    op.execute(REFILL_REASON_COUNTS)
