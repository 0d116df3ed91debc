"""initial schema: cameras, sightings, photos, users, moderation events, flags, density cells

Revision ID: 0001
Revises:
Create Date: 2026-11-28 15:16:07.228781

"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # Committed by the first statements, before any geometry column needs the type.
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    # btree_gist lets one GiST index cover (z, geom) on density_cells.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_geospatial_table(
        "cameras",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("status", sa.String(), server_default="verified", nullable=False),
        sa.Column("vendor", sa.String(), server_default="unknown", nullable=False),
        sa.Column("mount", sa.String(), nullable=True),
        sa.Column(
            "directions", postgresql.ARRAY(sa.SmallInteger()), server_default=sa.text("'{}'"), nullable=False
        ),
        sa.Column("operator", sa.String(), nullable=True),
        sa.Column("first_seen_month", sa.Date(), nullable=True),
        sa.Column("last_confirmed_month", sa.Date(), nullable=True),
        sa.Column("confirmations", sa.Integer(), server_default="1", nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("osm_type", sa.String(), nullable=True),
        sa.Column("osm_id", sa.BigInteger(), nullable=True),
        sa.Column("photos_hidden", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "mount IN ('pole', 'traffic_signal', 'overpass', 'building', 'other')", name="camera_mount_known"
        ),
        sa.CheckConstraint("osm_type IN ('node', 'way', 'relation')", name="camera_osm_type_known"),
        sa.CheckConstraint("source IN ('report', 'osm')", name="camera_source_known"),
        sa.CheckConstraint("status IN ('verified', 'hidden', 'removed')", name="camera_status_known"),
        sa.CheckConstraint("vendor ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="camera_vendor_slug"),
        sa.CheckConstraint("(osm_type IS NULL) = (osm_id IS NULL)", name="camera_osm_key_complete"),
        sa.CheckConstraint(
            "0 <= ALL(directions) AND 359 >= ALL(directions) AND array_position(directions, NULL) IS NULL",
            name="camera_directions_0_359",
        ),
        sa.CheckConstraint(
            "ST_X(geom) BETWEEN -180 AND 180 AND ST_Y(geom) BETWEEN -90 AND 90", name="camera_lonlat_in_range"
        ),
        sa.CheckConstraint("confirmations >= 0", name="camera_confirmations_not_negative"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("osm_type", "osm_id", name="camera_osm_key_unique"),
    )
    with op.batch_alter_table("cameras", schema=None) as batch_op:
        batch_op.create_geospatial_index(
            "idx_cameras_geom", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
        )
        batch_op.create_index("ix_cameras_status_vendor", ["status", "vendor"], unique=False)

    op.create_geospatial_table(
        "density_cells",
        sa.Column("z", sa.SmallInteger(), nullable=False),
        sa.Column("x", sa.Integer(), nullable=False),
        sa.Column("y", sa.Integer(), nullable=False),
        sa.Column("cameras", sa.Integer(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POLYGON",
                srid=3857,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("cameras >= 0", name="density_cell_count_not_negative"),
        sa.PrimaryKeyConstraint("z", "x", "y"),
    )
    with op.batch_alter_table("density_cells", schema=None) as batch_op:
        batch_op.create_index("ix_density_cells_z_geom", ["z", "geom"], unique=False, postgresql_using="gist")

    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("login", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), server_default="reporter", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("login ~ '^[A-Za-z0-9_.-]{3,64}$'", name="user_login_shape"),
        sa.CheckConstraint("role IN ('reporter', 'moderator', 'admin')", name="user_role_known"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index("ux_users_login_lower", [sa.literal_column("lower(login)")], unique=True)

    op.create_table(
        "flags",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("camera_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=True),
        sa.Column("status", sa.String(), server_default="open", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "reason IN ('does_not_exist', 'wrong_place', 'personal_information', 'spam', 'other')",
            name="flag_reason_known",
        ),
        sa.CheckConstraint("status IN ('open', 'resolved', 'dismissed')", name="flag_status_known"),
        sa.CheckConstraint("char_length(text) <= 2000", name="flag_text_length"),
        sa.ForeignKeyConstraint(["camera_id"], ["cameras.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.create_index("ix_flags_open", ["status", "created_at"], unique=False)

    op.create_table(
        "moderation_events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("target_type", sa.String(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("from_status", sa.String(), nullable=True),
        sa.Column("to_status", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.CheckConstraint(
            "target_type IN ('sighting', 'camera', 'photo', 'flag', 'user')", name="moderation_target_known"
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("moderation_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_moderation_events_target", ["target_type", "target_id", "created_at"], unique=False
        )

    # The moderation log is append-only: the database itself refuses to change or delete history.
    op.execute("""
        CREATE FUNCTION moderation_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'moderation_events is append-only';
        END $$;
        CREATE TRIGGER moderation_events_append_only
            BEFORE UPDATE OR DELETE ON moderation_events
            FOR EACH ROW EXECUTE FUNCTION moderation_events_append_only();
    """)

    op.create_geospatial_table(
        "sightings",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("camera_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("vendor", sa.String(), server_default="unknown", nullable=False),
        sa.Column("mount", sa.String(), nullable=True),
        sa.Column(
            "directions", postgresql.ARRAY(sa.SmallInteger()), server_default=sa.text("'{}'"), nullable=False
        ),
        sa.Column("operator", sa.String(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        sa.Column("observed_month", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), server_default="pending", nullable=False),
        sa.Column("reject_reason", sa.String(), nullable=True),
        sa.Column("receipt_hash", sa.String(), nullable=False),
        sa.Column("submitter_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "mount IN ('pole', 'traffic_signal', 'overpass', 'building', 'other')",
            name="sighting_mount_known",
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR reject_reason IS NOT NULL", name="sighting_reject_has_reason"
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'merged', 'rejected')", name="sighting_status_known"
        ),
        sa.CheckConstraint("vendor ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="sighting_vendor_slug"),
        sa.CheckConstraint(
            "0 <= ALL(directions) AND 359 >= ALL(directions) AND array_position(directions, NULL) IS NULL",
            name="sighting_directions_0_359",
        ),
        sa.CheckConstraint(
            "ST_X(geom) BETWEEN -180 AND 180 AND ST_Y(geom) BETWEEN -90 AND 90",
            name="sighting_lonlat_in_range",
        ),
        sa.CheckConstraint("char_length(notes) <= 2000", name="sighting_notes_length"),
        sa.ForeignKeyConstraint(["camera_id"], ["cameras.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["submitter_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("receipt_hash"),
    )
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.create_geospatial_index(
            "idx_sightings_geom", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
        )
        batch_op.create_index(batch_op.f("ix_sightings_camera_id"), ["camera_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sightings_submitter_id"), ["submitter_id"], unique=False)

    op.create_table(
        "photos",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("sighting_id", sa.BigInteger(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("display_key", sa.String(), nullable=False),
        sa.Column("thumb_key", sa.String(), nullable=False),
        sa.Column("public", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        # NULL until the face/plate detector has looked at the photo (webapp/photos/redaction.py).
        sa.Column("suggested_boxes", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "blur_boxes",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("content_hash ~ '^[0-9a-f]{64}$'", name="photo_content_hash_sha256"),
        sa.CheckConstraint("width > 0 AND height > 0", name="photo_size_positive"),
        sa.ForeignKeyConstraint(["sighting_id"], ["sightings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photos_sighting_id"), ["sighting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_content_hash"), ["content_hash"], unique=False)


def downgrade():
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photos_content_hash"))
        batch_op.drop_index(batch_op.f("ix_photos_sighting_id"))

    op.drop_table("photos")
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sightings_submitter_id"))
        batch_op.drop_index(batch_op.f("ix_sightings_camera_id"))
        batch_op.drop_geospatial_index("idx_sightings_geom", postgresql_using="gist", column_name="geom")

    op.drop_geospatial_table("sightings")
    with op.batch_alter_table("moderation_events", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_events_target")

    op.execute("DROP TRIGGER moderation_events_append_only ON moderation_events")
    op.execute("DROP FUNCTION moderation_events_append_only()")
    op.drop_table("moderation_events")
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index("ix_flags_open")

    op.drop_table("flags")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ux_users_login_lower")

    op.drop_table("users")
    with op.batch_alter_table("density_cells", schema=None) as batch_op:
        batch_op.drop_index("ix_density_cells_z_geom", postgresql_using="gist")

    op.drop_geospatial_table("density_cells")
    with op.batch_alter_table("cameras", schema=None) as batch_op:
        batch_op.drop_index("ix_cameras_status_vendor")
        batch_op.drop_geospatial_index("idx_cameras_geom", postgresql_using="gist", column_name="geom")

    op.drop_geospatial_table("cameras")
