"""OpenStreetMap round trip: per-field provenance, the last imported OSM values, link proposals, import runs,
and the month a removed camera was taken down

Design. Each camera field Sightline tracks (`position`, `vendor`, `directions`, `mount`, `operator`) is owned
either by OpenStreetMap (a re-import updates it) or by a moderator (a re-import leaves it alone). The owner
is one small array on the camera, `cameras.moderated_fields`, because the upsert of a 60,000-camera import
reads it for every row in one set-based statement and a correction writes it with the field it corrects.

What OpenStreetMap said for each linked camera lives beside the camera, in `osm_elements` (one row per
camera with an OSM identity): the values in our vocabulary (so the next import can tell whether OSM changed a
field a moderator had set, and show both values), the directions in the mapper's order, the element's
version and raw tags (an export's modification must carry the version and keep every tag it does not
correct), and the review state: `differs` (moderated fields OSM changed since; a moderator keeps ours or
takes theirs) and `gone_on` (the day an import declared complete for the area no longer had it). A side
table keeps `cameras` narrow for tiles and exports, and holds OSM's tags, which only the round trip reads.
Existing OSM cameras get their row from their current values (they were all OSM's until now).

`osm_link_proposals` pairs an imported camera with a reported one a few metres away (merge or dismiss);
`osm_import_runs` records each import (when, the file's name, the data's date, counts), so pages can say how
fresh the OpenStreetMap data is. `cameras.removed_month` is the month a moderator confirmed a camera was
taken down: the removed-cameras export and the timeline read it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 09:00:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OWNED_FIELDS = "ARRAY['position', 'vendor', 'directions', 'mount', 'operator']::text[]"
UTC_TODAY = sa.text("((now() AT TIME ZONE 'UTC'))::date")


def upgrade():
    op.add_column(
        "cameras",
        sa.Column(
            "moderated_fields", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False
        ),
    )
    op.add_column("cameras", sa.Column("removed_month", sa.Date(), nullable=True))
    op.create_check_constraint(
        "camera_moderated_fields_known", "cameras", f"moderated_fields <@ {OWNED_FIELDS}"
    )

    op.create_table(
        "osm_import_runs",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("source_name", sa.String(), nullable=False),
        sa.Column("file_format", sa.String(), nullable=False),
        sa.Column("data_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("complete_scope", sa.String(), nullable=True),
        *(
            sa.Column(name, sa.Integer(), server_default="0", nullable=False)
            for name in (
                "records",
                "created",
                "updated",
                "unchanged",
                "skipped",
                "differs",
                "agreed",
                "gone",
                "linked",
                "proposed",
            )
        ),
        sa.PrimaryKeyConstraint("id"),
    )

    op.create_table(
        "osm_elements",
        sa.Column("camera_id", sa.BigInteger(), nullable=False),
        sa.Column("osm_version", sa.Integer(), nullable=True),
        sa.Column("tags", postgresql.JSONB(), nullable=True),
        sa.Column("lon", sa.Float(precision=53), nullable=False),
        sa.Column("lat", sa.Float(precision=53), nullable=False),
        sa.Column("vendor", sa.String(), nullable=False),
        sa.Column("mount", sa.String(), nullable=True),
        sa.Column(
            "directions", postgresql.ARRAY(sa.SmallInteger()), server_default=sa.text("'{}'"), nullable=False
        ),
        sa.Column("operator", sa.String(), nullable=True),
        sa.Column("differs", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("gone_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "mount IN ('pole', 'traffic_signal', 'overpass', 'building', 'other')",
            name="osm_element_mount_known",
        ),
        sa.CheckConstraint(f"differs <@ {OWNED_FIELDS}", name="osm_element_differs_known"),
        sa.ForeignKeyConstraint(["camera_id"], ["cameras.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("camera_id"),
    )
    op.execute(
        """
        INSERT INTO osm_elements (camera_id, lon, lat, vendor, mount, directions, operator)
        SELECT id, ST_X(geom), ST_Y(geom), vendor, mount, directions, operator
        FROM cameras WHERE osm_type IS NOT NULL
        """
    )

    op.create_table(
        "osm_link_proposals",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("osm_camera_id", sa.BigInteger(), nullable=False),
        sa.Column("report_camera_id", sa.BigInteger(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("status", sa.String(), server_default="open", nullable=False),
        sa.Column("proposed_on", sa.Date(), server_default=UTC_TODAY, nullable=False),
        sa.CheckConstraint("status IN ('open', 'merged', 'dismissed')", name="osm_link_status_known"),
        sa.ForeignKeyConstraint(["osm_camera_id"], ["cameras.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_camera_id"], ["cameras.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("osm_camera_id", "report_camera_id", name="osm_link_pair_unique"),
    )
    op.create_index("ix_osm_link_proposals_osm_camera_id", "osm_link_proposals", ["osm_camera_id"])
    op.create_index("ix_osm_link_proposals_report_camera_id", "osm_link_proposals", ["report_camera_id"])


def downgrade():
    op.drop_index("ix_osm_link_proposals_report_camera_id", table_name="osm_link_proposals")
    op.drop_index("ix_osm_link_proposals_osm_camera_id", table_name="osm_link_proposals")
    op.drop_table("osm_link_proposals")
    op.drop_table("osm_elements")
    op.drop_table("osm_import_runs")
    op.drop_constraint("camera_moderated_fields_known", "cameras", type_="check")
    op.drop_column("cameras", "removed_month")
    op.drop_column("cameras", "moderated_fields")
