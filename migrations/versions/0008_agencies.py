"""agencies, who shares ALPR data with whom, portal figures and policies, and the agency behind each camera

Design. An agency (`agencies`: name, kind, state, optional Wikidata id, aliases in `agency_aliases`) comes
from a published data set (`data_sources`: The News & Observer's "Private Eyes" files, a newer scrape) under
that data set's own id, so a re-import finds it again, or from a moderator. `agency_sharing` holds the
directed relation "A shares its ALPR data with B" with its source, the date it was seen and who recorded it;
nothing is deleted: a retired relation keeps its dates and says why (`retired_on`, `retired_source`).
`agency_portal_figures` and `agency_policies` keep what an agency's transparency portal published on a day.

Cameras keep their free-text operator as reported. The agency behind an operator text is decided once per
text, in `operator_links` (keyed by `lower(btrim(operator))`: the matcher proposes, a confident match links,
the rest wait for a moderator). Two triggers keep `cameras.agency_id` current: a camera inserted or given
another operator takes the agency of its text's link; a link inserted, changed or deleted moves every camera
with that text, in one set-based UPDATE per statement (the matcher writes thousands of links at once). An
expression index on the cameras' operator key makes that UPDATE an index look-up. The audit log's target
types grow by agency, sharing and operator_link.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 13:30:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_TARGETS = "target_type IN ('sighting', 'camera', 'photo', 'flag', 'user')"
NEW_TARGETS = (
    "target_type IN ('sighting', 'camera', 'photo', 'flag', 'user', 'agency', 'sharing', 'operator_link')"
)

TRIGGERS = """
CREATE FUNCTION cameras_take_operator_agency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT l.agency_id INTO NEW.agency_id
    FROM operator_links AS l
    WHERE l.operator_key = lower(btrim(NEW.operator)) AND l.state IN ('linked', 'confirmed');
    RETURN NEW;
END
$$;

CREATE TRIGGER cameras_agency_on_insert BEFORE INSERT ON cameras
    FOR EACH ROW EXECUTE FUNCTION cameras_take_operator_agency();
CREATE TRIGGER cameras_agency_on_operator BEFORE UPDATE OF operator ON cameras
    FOR EACH ROW WHEN (OLD.operator IS DISTINCT FROM NEW.operator) EXECUTE FUNCTION cameras_take_operator_agency();

-- Every camera whose operator key is in `changed` takes the agency its link now gives (NULL when the link
-- is gone or does not link).
CREATE FUNCTION operator_links_move_cameras(changed text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cameras AS c SET agency_id = l.agency_id
    FROM unnest(changed) AS k(operator_key)
    LEFT JOIN operator_links AS l ON l.operator_key = k.operator_key AND l.state IN ('linked', 'confirmed')
    WHERE lower(btrim(c.operator)) = k.operator_key AND c.agency_id IS DISTINCT FROM l.agency_id;
END
$$;

CREATE FUNCTION operator_links_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM operator_links_move_cameras(ARRAY(SELECT operator_key FROM new_links));
    RETURN NULL;
END
$$;
CREATE FUNCTION operator_links_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM operator_links_move_cameras(ARRAY(
        SELECT n.operator_key FROM new_links AS n JOIN old_links AS o USING (operator_key)
        WHERE (n.state, n.agency_id) IS DISTINCT FROM (o.state, o.agency_id)));
    RETURN NULL;
END
$$;
CREATE FUNCTION operator_links_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM operator_links_move_cameras(ARRAY(SELECT operator_key FROM old_links));
    RETURN NULL;
END
$$;

CREATE TRIGGER operator_links_insert AFTER INSERT ON operator_links
    REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION operator_links_after_insert();
CREATE TRIGGER operator_links_update AFTER UPDATE ON operator_links
    REFERENCING NEW TABLE AS new_links OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION operator_links_after_update();
CREATE TRIGGER operator_links_delete AFTER DELETE ON operator_links
    REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION operator_links_after_delete();
"""

DROP_TRIGGERS = """
DROP TRIGGER operator_links_delete ON operator_links;
DROP TRIGGER operator_links_update ON operator_links;
DROP TRIGGER operator_links_insert ON operator_links;
DROP FUNCTION operator_links_after_delete();
DROP FUNCTION operator_links_after_update();
DROP FUNCTION operator_links_after_insert();
DROP FUNCTION operator_links_move_cameras(text[]);
DROP TRIGGER cameras_agency_on_operator ON cameras;
DROP TRIGGER cameras_agency_on_insert ON cameras;
DROP FUNCTION cameras_take_operator_agency();
"""


def _created_at():
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def _version():
    return sa.Column("version", sa.Integer(), server_default="1", nullable=False)


def _portal_columns():
    """What a portal row shares: the agency, the data set, the portal's address, when it said it."""
    return [
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column(
            "agency_id", sa.BigInteger(), sa.ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "data_source_id",
            sa.BigInteger(),
            sa.ForeignKey("data_sources.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("portal_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accessed_on", sa.Date(), nullable=False),
    ]


def upgrade():
    op.create_table(
        "data_sources",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("key", sa.String(), nullable=False, unique=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("publisher", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("licence", sa.String(), nullable=False),
        sa.Column("attribution", sa.String(), nullable=False),
        sa.Column("collected_from", sa.Date(), nullable=True),
        sa.Column("collected_to", sa.Date(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_table(
        "agencies",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), server_default="other", nullable=False),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("wikidata_id", sa.String(), nullable=True),
        sa.Column(
            "source_id", sa.BigInteger(), sa.ForeignKey("data_sources.id", ondelete="RESTRICT"), nullable=True
        ),
        sa.Column("source_key", sa.String(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        _created_at(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        _version(),
        sa.CheckConstraint(
            "kind IN ('police', 'sheriff', 'state', 'federal', 'private', 'other')", name="agency_kind_known"
        ),
        sa.CheckConstraint("state ~ '^[A-Z]{2}$'", name="agency_state_code"),
        sa.CheckConstraint("wikidata_id ~ '^Q[1-9][0-9]*$'", name="agency_wikidata_id"),
        sa.CheckConstraint("char_length(name) BETWEEN 1 AND 200", name="agency_name_length"),
        sa.CheckConstraint("(source_id IS NULL) = (source_key IS NULL)", name="agency_source_key_complete"),
        sa.UniqueConstraint("source_id", "source_key", name="agency_source_key_unique"),
    )
    op.create_index("ix_agencies_state_kind", "agencies", ["state", "kind"])
    op.create_index("ix_agencies_name_lower", "agencies", [sa.text("lower(name)")])
    op.create_table(
        "agency_aliases",
        sa.Column(
            "agency_id",
            sa.BigInteger(),
            sa.ForeignKey("agencies.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("normalized", sa.String(), primary_key=True),
        sa.Column("alias", sa.String(), nullable=False),
    )
    op.create_index("ix_agency_aliases_normalized", "agency_aliases", ["normalized"])
    op.create_table(
        "agency_sharing",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column(
            "from_agency_id",
            sa.BigInteger(),
            sa.ForeignKey("agencies.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column(
            "to_agency_id", sa.BigInteger(), sa.ForeignKey("agencies.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column(
            "data_source_id",
            sa.BigInteger(),
            sa.ForeignKey("data_sources.id", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column(
            "recorded_by_user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retired_source", sa.String(), nullable=True),
        _created_at(),
        _version(),
        sa.CheckConstraint("recorded_by IN ('import', 'moderator')", name="sharing_recorded_by_known"),
        sa.CheckConstraint("from_agency_id <> to_agency_id", name="sharing_not_with_itself"),
        sa.CheckConstraint("char_length(source) BETWEEN 1 AND 1000", name="sharing_source_length"),
        sa.CheckConstraint(
            "(recorded_by = 'moderator') = (recorded_by_user_id IS NOT NULL)", name="sharing_recorder"
        ),
        sa.CheckConstraint(
            "(retired_on IS NULL) = (retired_source IS NULL)", name="sharing_retirement_sourced"
        ),
        sa.CheckConstraint("retired_on IS NULL OR retired_on >= seen_on", name="sharing_retired_after_seen"),
    )
    op.create_index(
        "ux_agency_sharing_current",
        "agency_sharing",
        ["from_agency_id", "to_agency_id", sa.text("coalesce(data_source_id, 0)")],
        unique=True,
        postgresql_where=sa.text("retired_on IS NULL"),
    )
    op.create_index("ix_agency_sharing_to", "agency_sharing", ["to_agency_id", "from_agency_id"])
    op.create_table(
        "agency_portal_figures",
        *_portal_columns(),
        sa.Column("retention_text", sa.String(), nullable=True),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        sa.Column("owned_cameras", sa.Integer(), nullable=True),
        sa.Column("external_organizations_with_access", sa.Integer(), nullable=True),
        sa.Column("hotlists", sa.String(), nullable=True),
        sa.Column("vehicles_detected_30d", sa.BigInteger(), nullable=True),
        sa.Column("hotlist_hits_30d", sa.BigInteger(), nullable=True),
        sa.Column("searches_30d", sa.BigInteger(), nullable=True),
        sa.Column("public_search_audit", sa.String(), nullable=True),
        sa.UniqueConstraint("agency_id", "data_source_id", "accessed_on", name="portal_figures_once_a_day"),
    )
    op.create_table(
        "agency_policies",
        *_portal_columns(),
        sa.Column("whats_detected", sa.Text(), nullable=True),
        sa.Column("whats_not_detected", sa.Text(), nullable=True),
        sa.Column("acceptable_use", sa.Text(), nullable=True),
        sa.Column("prohibited_uses", sa.Text(), nullable=True),
        sa.Column("access_policy", sa.Text(), nullable=True),
        sa.Column("hotlist_policy", sa.Text(), nullable=True),
        sa.Column(
            "prohibits_immigration_enforcement", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.UniqueConstraint("agency_id", "data_source_id", "accessed_on", name="policy_once_a_day"),
    )
    op.create_table(
        "operator_links",
        sa.Column("operator_key", sa.String(), primary_key=True),
        sa.Column("operator", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column(
            "agency_id", sa.BigInteger(), sa.ForeignKey("agencies.id", ondelete="RESTRICT"), nullable=True
        ),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("candidates", postgresql.JSONB(), nullable=True),
        sa.Column(
            "decided_by_user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        _version(),
        sa.CheckConstraint(
            "state IN ('linked', 'queued', 'confirmed', 'unmatched')", name="operator_link_state_known"
        ),
        sa.CheckConstraint(
            "(state IN ('linked', 'confirmed')) = (agency_id IS NOT NULL)",
            name="operator_link_agency_when_linked",
        ),
        sa.CheckConstraint("operator_key = lower(btrim(operator))", name="operator_link_key"),
    )
    op.create_index("ix_operator_links_state", "operator_links", ["state"])

    op.add_column(
        "cameras",
        sa.Column(
            "agency_id", sa.BigInteger(), sa.ForeignKey("agencies.id", ondelete="SET NULL"), nullable=True
        ),
    )
    # "The cameras of an agency" (agency pages, the cameras that feed a receiver) reads this.
    op.create_index("ix_cameras_agency_status", "cameras", ["agency_id", "status"])
    op.create_index("ix_cameras_operator_key", "cameras", [sa.text("lower(btrim(operator))")])
    op.execute(TRIGGERS)

    op.drop_constraint("moderation_target_known", "moderation_events", type_="check")
    op.create_check_constraint("moderation_target_known", "moderation_events", NEW_TARGETS)


def downgrade():
    # The audit log is append-only: a downgrade never deletes what moderators did to agencies.
    recorded = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM moderation_events WHERE NOT (" + OLD_TARGETS + ")"))
        .scalar_one()
    )
    if recorded:
        raise RuntimeError(
            f"{recorded} audit events are about agencies, sharing relations or operator links; the audit log "
            "is append-only, so 0008 cannot be downgraded without losing them (restore a backup instead)"
        )
    op.drop_constraint("moderation_target_known", "moderation_events", type_="check")
    op.create_check_constraint("moderation_target_known", "moderation_events", OLD_TARGETS)
    op.execute(DROP_TRIGGERS)
    op.drop_index("ix_cameras_operator_key", table_name="cameras")
    op.drop_index("ix_cameras_agency_status", table_name="cameras")
    op.drop_column("cameras", "agency_id")
    op.drop_table("operator_links")
    op.drop_table("agency_policies")
    op.drop_table("agency_portal_figures")
    op.drop_table("agency_sharing")
    op.drop_table("agency_aliases")
    op.drop_table("agencies")
    op.drop_table("data_sources")
