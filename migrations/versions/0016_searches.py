"""searches: ALPR audit logs (who searched whose cameras, and why), at tens of millions of rows

Issue 21. A log (`search_logs`) is one agency's network or organisation log; each file read into it is a
`search_log_files` row with its provenance. `searches` holds one narrow row per search and nothing personal
(the importer drops Name, License Plate, Case #, Filters and Text Prompt while it reads the file, before
anything reaches the database, and masks what looks personal in the Reason). Reasons are stored once per
distinct masked text (`search_reasons`) and classified once per text and rule version
(`search_reason_classes`); searching agencies once per name (`search_searchers`, linked to agencies through
the matcher's `operator_links`).

`searches` has no primary key and no B-tree: at 17 million rows a B-tree on a 64-bit key alone takes about
500 MB, a third of the disk the issue allows; a row is about 76 bytes with its header. Rows are appended a file at a time, so a log's rows lie
together and in time order; a BRIN index on (log_id, searched_at, file_id) finds a log's month or a file's
rows from a few block ranges, and the import's duplicate check (an anti-join on every stored cell and the occurrence)
reads the same ranges. No foreign keys either (the importer writes ids it read in the same transaction).

The answers read two rollups kept by the import in the statement that stores the rows:
`search_reason_counts` (log x month x searcher x reason x search type) and `search_counts` (the same with the
reason's category under the log's rule version instead of the reason). A new rule version classifies the
distinct reasons and rebuilds `search_counts` from `search_reason_counts`, never reading `searches`.
Measured at 1 million generated searches (32 months, 5,363 searchers): search_reason_counts 448,026 rows,
search_counts 300,627.

Citus, later: distribute `searches`, `search_reason_counts` and `search_counts` on `log_id` (co-located), keep
the small tables (`search_logs`, `search_log_files`, `search_reasons`, `search_reason_classes`,
`search_searchers`, `search_types`) as reference tables; every answer is about one log or joins on log_id.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:40:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# An import of a log file is an audit event (target search_log_file).
OLD_TARGETS = (
    "target_type IN ('sighting', 'camera', 'photo', 'flag', 'user', 'agency', 'sharing', 'operator_link')"
)
NEW_TARGETS = (
    "target_type IN ('sighting', 'camera', 'photo', 'flag', 'user', 'agency', 'sharing', 'operator_link', "
    "'search_log_file')"
)


def upgrade():
    op.create_table(
        "search_logs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "owner_agency_id",
            sa.BigInteger(),
            sa.ForeignKey("agencies.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("rule_version", sa.SmallInteger(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("first_search_at", sa.DateTime(timezone=True)),
        sa.Column("last_search_at", sa.DateTime(timezone=True)),
        sa.Column("searches", sa.BigInteger(), nullable=False, server_default="0"),
        sa.CheckConstraint("kind IN ('network', 'org')", name="search_log_kind_known"),
        sa.UniqueConstraint("owner_agency_id", "kind", name="search_log_one_per_owner_and_kind"),
    )
    op.create_table(
        "search_log_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "log_id", sa.Integer(), sa.ForeignKey("search_logs.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("url", sa.String()),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("file_format", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("file_bytes", sa.BigInteger(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_stored", sa.Integer(), nullable=False),
        sa.Column("rows_known", sa.Integer(), nullable=False),
        sa.Column("rows_refused", sa.Integer(), nullable=False),
        sa.Column("refusals", postgresql.JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("first_search_at", sa.DateTime(timezone=True)),
        sa.Column("last_search_at", sa.DateTime(timezone=True)),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("file_format IN ('csv', 'xlsx')", name="search_log_file_format_known"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="search_log_file_sha256"),
        sa.CheckConstraint("char_length(title) BETWEEN 1 AND 300", name="search_log_file_title"),
        sa.CheckConstraint(
            "rows_read = rows_stored + rows_known + rows_refused", name="search_log_file_rows_add_up"
        ),
        sa.UniqueConstraint("log_id", "sha256", name="search_log_file_once_per_log"),
    )
    op.create_index("ix_search_log_files_log", "search_log_files", ["log_id"])
    op.create_table(
        "search_types",
        sa.Column("id", sa.SmallInteger(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False, unique=True),
        sa.CheckConstraint("char_length(name) BETWEEN 0 AND 100", name="search_type_name_length"),
    )
    op.create_table(
        "search_searchers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name_key", sa.String(), nullable=False, unique=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("named_state", sa.String()),
        sa.Column("named_federal", sa.Boolean(), nullable=False),
        sa.CheckConstraint("name_key = lower(btrim(name))", name="search_searcher_key"),
        sa.CheckConstraint("char_length(name) BETWEEN 0 AND 200", name="search_searcher_name_length"),
        sa.CheckConstraint("named_state ~ '^[A-Z]{2}$'", name="search_searcher_state_code"),
    )
    op.create_table(
        "search_reasons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("digest", sa.LargeBinary(), nullable=False, unique=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.CheckConstraint("char_length(reason) <= 500", name="search_reason_length"),
        sa.CheckConstraint("octet_length(digest) = 16", name="search_reason_digest_length"),
    )
    op.create_table(
        "search_rule_versions",
        sa.Column("version", sa.SmallInteger(), primary_key=True, autoincrement=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "search_reason_classes",
        sa.Column(
            "rule_version",
            sa.SmallInteger(),
            sa.ForeignKey("search_rule_versions.version", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "reason_id",
            sa.Integer(),
            sa.ForeignKey("search_reasons.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("immigration", sa.Boolean(), nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.CheckConstraint("category ~ '^[a-z_]{1,40}$'", name="search_reason_class_category"),
    )
    op.create_index(
        "ix_search_reason_classes_category", "search_reason_classes", ["rule_version", "category"]
    )
    op.create_table(
        "searches",
        sa.Column("searched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("searcher_id", sa.Integer(), nullable=False),
        sa.Column("reason_id", sa.Integer(), nullable=False),
        sa.Column("window_start_s", sa.Integer()),
        sa.Column("window_end_s", sa.Integer()),
        sa.Column("devices", sa.Integer()),
        sa.Column("networks", sa.SmallInteger(), nullable=False),
        sa.Column("occurrence", sa.SmallInteger(), nullable=False),
        sa.Column("search_type_id", sa.SmallInteger(), nullable=False),
        sa.Column("moderation", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("networks >= 0 AND coalesce(devices, 0) >= 0", name="search_counts_positive"),
        sa.CheckConstraint("occurrence >= 1 AND row_number >= 1", name="search_occurrence_and_row"),
        sa.CheckConstraint("moderation BETWEEN 0 AND 3", name="search_moderation_known"),
    )
    op.create_index(
        "brin_searches_log_time_file",
        "searches",
        ["log_id", "searched_at", "file_id"],
        postgresql_using="brin",
        postgresql_with={"pages_per_range": 16},
    )
    for name, column, column_type in (
        ("search_reason_counts", "reason_id", sa.Integer()),
        ("search_counts", "category", sa.String()),
    ):
        op.create_table(
            name,
            sa.Column("log_id", sa.Integer(), primary_key=True),
            sa.Column("month", sa.Date(), primary_key=True),
            sa.Column("searcher_id", sa.Integer(), primary_key=True),
            sa.Column(column, column_type, primary_key=True),
            sa.Column("search_type_id", sa.SmallInteger(), primary_key=True),
            sa.Column("searches", sa.BigInteger(), nullable=False),
            sa.Column("multi_network", sa.BigInteger(), nullable=False),
        )

    op.drop_constraint("moderation_target_known", "moderation_events", type_="check")
    op.create_check_constraint("moderation_target_known", "moderation_events", NEW_TARGETS)


def downgrade():
    recorded = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM moderation_events WHERE NOT (" + OLD_TARGETS + ")"))
        .scalar_one()
    )
    if recorded:
        raise RuntimeError(
            f"{recorded} audit events are about imported search logs; the audit log is append-only, so "
            "0012_searches cannot be downgraded without losing them (restore a backup instead)"
        )
    op.drop_constraint("moderation_target_known", "moderation_events", type_="check")
    op.create_check_constraint("moderation_target_known", "moderation_events", OLD_TARGETS)
    for name in (
        "search_counts",
        "search_reason_counts",
        "searches",
        "search_reason_classes",
        "search_rule_versions",
        "search_reasons",
        "search_searchers",
        "search_types",
        "search_log_files",
        "search_logs",
    ):
        op.drop_table(name)
