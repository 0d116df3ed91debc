"""searches on less disk: no `search_reason_counts`, no primary key on `search_counts`, `devices` never NULL

Issue 21 allows 1.5 GB for a 17-million-search log; the bench's 17 M run took 1,842 MB, 359 MB of it in
`search_reason_counts` (log x month x searcher x reason x search type, about 3 million rows and their primary
key), kept only so that `flask searches reclassify` could rebuild the category counts without reading
`searches`. Reclassification is rare (a new rule version), so it now reads each log's searches once instead
(webapp.searches.reclassification), and the import no longer upserts those rows. Downgrading makes the table
again from `searches`.

`search_counts` (log x month x searcher x category x search type, 1.7 million rows at 17 M) loses its
five-column primary key (69 MB at 17 M, a third of the table): every reader sums its rows, so the import adds
a file's counts as new rows instead of upserting them (a month two files share has two sets of rows), and an
index on (log, month) serves the answers over a period in its place. Downgrading merges the rows first.

`devices` (`Total Devices Searched`, a column most network logs lack) is stored as -1 when the file has
none, not as NULL: a row with a NULL carries a null bitmap that takes its header from 24 to 32 bytes, so a log
without that column took 84 bytes a row with its line pointer instead of 76. The windows stay nullable (a
missing Time Frame is a rare row, and only that row pays). The readers turn -1 back into "none"; the import's
duplicate check already compared a missing count as -1, so what is recognised as the same search is
unchanged.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 17:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
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


# Rows of search_counts that share a key, merged into one (through the table's triggers, which take away
# what is deleted and add what is inserted: the answers' rollups end as they were).
MERGE_COUNTS = """
CREATE TEMPORARY TABLE merged_counts ON COMMIT DROP AS
SELECT log_id, month, searcher_id, category, search_type_id, sum(searches) AS searches,
       sum(multi_network) AS multi_network
FROM search_counts GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1;
DELETE FROM search_counts AS c USING merged_counts AS m
WHERE (c.log_id, c.month, c.searcher_id, c.category, c.search_type_id)
    = (m.log_id, m.month, m.searcher_id, m.category, m.search_type_id);
INSERT INTO search_counts (log_id, month, searcher_id, category, search_type_id, searches, multi_network)
SELECT * FROM merged_counts;
"""
COUNT_KEY = ["log_id", "month", "searcher_id", "category", "search_type_id"]


def upgrade():
    op.drop_table("search_reason_counts")
    op.drop_constraint("search_counts_pkey", "search_counts", type_="primary")
    op.create_index("ix_search_counts_month", "search_counts", ["log_id", "month"])
    op.drop_constraint("search_counts_positive", "searches", type_="check")
    # One rewrite in place of an UPDATE, which would leave a dead copy of every row it changed.
    op.execute(
        "ALTER TABLE searches ALTER COLUMN devices TYPE integer USING coalesce(devices, -1), "
        "ALTER COLUMN devices SET NOT NULL"
    )
    op.create_check_constraint("search_counts_positive", "searches", NEW_CHECK)


def downgrade():
    op.execute(MERGE_COUNTS)
    op.drop_index("ix_search_counts_month", table_name="search_counts")
    op.create_primary_key("search_counts_pkey", "search_counts", COUNT_KEY)
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
