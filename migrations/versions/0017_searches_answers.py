"""searches answers: two narrow rollups kept from search_counts by statement-level triggers

`search_counts` (log x month x searcher x category x search type) holds about a million rows for a 17-million
search network log (5,000 searchers with Zipf-like volume, 32 months): summing it per answer takes seconds. The
answers read two narrower rollups instead, each a few thousand rows per log:
- `search_month_counts` (log x month x category x search type): totals, categories, months, search types;
- `search_searcher_counts` (log x searcher x category): searchers, their relation to the owner, and the
  across-logs questions (indexed by category: the immigration categories of every log at once).
Three statement-level triggers with transition tables on `search_counts` add what an import's statement
added there and take away what a reclassification deleted, in one INSERT .. ON CONFLICT per rollup, however
`search_counts` is written. Rows at zero stay (the answers skip them). `search_answer_rollups_rebuild()`
recomputes both. An index on search_counts (log, searcher, month) serves the answers filtered by searcher.

Citus, later: both rollups are distributed on `log_id`, co-located with `search_counts`.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 12:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# {rows}: a SELECT of signed (log_id, month, searcher_id, category, search_type_id, searches, multi_network).
APPLY = """
    INSERT INTO search_month_counts AS m (log_id, month, category, search_type_id, searches, multi_network)
    SELECT log_id, month, category, search_type_id, sum(searches), sum(multi_network) FROM ({rows}) AS d
    GROUP BY 1, 2, 3, 4 HAVING sum(searches) <> 0 OR sum(multi_network) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (log_id, month, category, search_type_id) DO UPDATE SET
        searches = m.searches + EXCLUDED.searches, multi_network = m.multi_network + EXCLUDED.multi_network;
    INSERT INTO search_searcher_counts AS s (log_id, searcher_id, category, searches, multi_network)
    SELECT log_id, searcher_id, category, sum(searches), sum(multi_network) FROM ({rows}) AS d
    GROUP BY 1, 2, 3 HAVING sum(searches) <> 0 OR sum(multi_network) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (log_id, searcher_id, category) DO UPDATE SET
        searches = s.searches + EXCLUDED.searches, multi_network = s.multi_network + EXCLUDED.multi_network;
"""
COLUMNS = "log_id, month, searcher_id, category, search_type_id"
ADDED = f"SELECT {COLUMNS}, searches, multi_network FROM new_counts"
REMOVED = f"SELECT {COLUMNS}, -searches AS searches, -multi_network AS multi_network FROM old_counts"

FUNCTIONS = f"""
CREATE FUNCTION search_answer_rollups_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {APPLY.format(rows=ADDED)}
    ELSIF TG_OP = 'DELETE' THEN
        {APPLY.format(rows=REMOVED)}
    ELSE
        {APPLY.format(rows=f"{ADDED} UNION ALL {REMOVED}")}
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION search_answer_rollups_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_month_counts;
    DELETE FROM search_searcher_counts;
    {APPLY.format(rows=f"SELECT {COLUMNS}, searches, multi_network FROM search_counts")}
$$;
"""


def upgrade():
    op.create_table(
        "search_month_counts",
        sa.Column("log_id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.Date(), primary_key=True),
        sa.Column("category", sa.String(), primary_key=True),
        sa.Column("search_type_id", sa.SmallInteger(), primary_key=True),
        sa.Column("searches", sa.BigInteger(), nullable=False),
        sa.Column("multi_network", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "search_searcher_counts",
        sa.Column("log_id", sa.Integer(), primary_key=True),
        sa.Column("searcher_id", sa.Integer(), primary_key=True),
        sa.Column("category", sa.String(), primary_key=True),
        sa.Column("searches", sa.BigInteger(), nullable=False),
        sa.Column("multi_network", sa.BigInteger(), nullable=False),
    )
    op.create_index(
        "ix_search_searcher_counts_category", "search_searcher_counts", ["category", "log_id", "searcher_id"]
    )
    op.create_index("ix_search_counts_searcher", "search_counts", ["log_id", "searcher_id", "month"])
    op.execute(FUNCTIONS)
    for operation, transitions in (
        ("INSERT", "NEW TABLE AS new_counts"),
        ("UPDATE", "OLD TABLE AS old_counts NEW TABLE AS new_counts"),
        ("DELETE", "OLD TABLE AS old_counts"),
    ):
        op.execute(
            f"CREATE TRIGGER search_answer_rollups_{operation.lower()} AFTER {operation} ON search_counts "
            f"REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION search_answer_rollups_follow()"
        )
    op.execute("SELECT search_answer_rollups_rebuild()")


def downgrade():
    for operation in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER search_answer_rollups_{operation} ON search_counts")
    op.execute("DROP FUNCTION search_answer_rollups_follow()")
    op.execute("DROP FUNCTION search_answer_rollups_rebuild()")
    op.drop_index("ix_search_counts_searcher", table_name="search_counts")
    op.drop_table("search_searcher_counts")
    op.drop_table("search_month_counts")
