"""areas and coverage: states and counties with their denominators, each camera's state and county kept by
a trigger, per-area camera counts kept by statement-level triggers, OpenStreetMap start dates on cameras

`areas` holds US states and counties (Census GEOID, name, population, road miles, area, the boundary and a
simplified copy for the choropleth tiles). A row trigger sets `cameras.state_geoid` / `county_geoid` from the
boundaries when a camera is inserted or its position changes; `areas_assign_cameras()` does the same for every
camera after a boundary import. The look-up reads `area_parts`, the boundaries cut into pieces of at most 64
vertices, which keeps it at a few microseconds per camera. `area_camera_counts` counts the citable cameras (verified, not demo) per area,
vendor, operator and source; three statement-level triggers with transition tables adjust it in one
INSERT .. ON CONFLICT per statement (as the density pyramid of 0002 does), so a verification is in the figures
the moment it commits; `area_counts_version` (one row) moves on with every change of the counts, so the app
can keep computed figures until it does. `area_counts_rebuild()` recomputes the counts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00

"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The citable condition must match webapp/geo/public_cameras.py (CITABLE).
FUNCTIONS = """
-- The county a point stands in (the lowest GEOID on a shared border) and its state. Cartographic boundaries
-- are generalised and clipped to the shoreline, so a camera on a pier or a coastal road can fall just outside
-- every polygon: it then goes to the nearest county (of its state, when a state holds it) within 0.05 degrees
-- (about 5 km), and to no area beyond that. With only states loaded, counties stay NULL.
CREATE FUNCTION area_geoids_at(point geometry, OUT state_geoid text, OUT county_geoid text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    nearest_county text;
BEGIN
    SELECT left(p.geoid, 2), p.geoid INTO state_geoid, county_geoid
    FROM area_parts AS p WHERE p.kind = 'county' AND ST_Intersects(p.geom, point) ORDER BY p.geoid LIMIT 1;
    IF county_geoid IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT p.geoid INTO state_geoid
    FROM area_parts AS p WHERE p.kind = 'state' AND ST_Intersects(p.geom, point) ORDER BY p.geoid LIMIT 1;
    -- (SELECT .. INTO sets its targets to NULL when nothing is found: hence a variable of its own.)
    SELECT p.geoid INTO nearest_county
    FROM area_parts AS p
    WHERE p.kind = 'county' AND ST_DWithin(p.geom, point, 0.05)
      AND (state_geoid IS NULL OR left(p.geoid, 2) = state_geoid)
    ORDER BY p.geom <-> point, p.geoid LIMIT 1;
    IF nearest_county IS NOT NULL THEN
        county_geoid := nearest_county;
        state_geoid := left(nearest_county, 2);
    ELSIF state_geoid IS NULL THEN
        SELECT p.geoid INTO state_geoid
        FROM area_parts AS p WHERE p.kind = 'state' AND ST_DWithin(p.geom, point, 0.05)
        ORDER BY p.geom <-> point, p.geoid LIMIT 1;
    END IF;
END
$$;

CREATE FUNCTION cameras_locate_area() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT located.state_geoid, located.county_geoid INTO NEW.state_geoid, NEW.county_geoid
    FROM area_geoids_at(NEW.geom) AS located;
    RETURN NEW;
END
$$;

CREATE TRIGGER cameras_area_on_insert BEFORE INSERT ON cameras
    FOR EACH ROW EXECUTE FUNCTION cameras_locate_area();
CREATE TRIGGER cameras_area_on_move BEFORE UPDATE OF geom ON cameras
    FOR EACH ROW WHEN (OLD.geom IS DISTINCT FROM NEW.geom) EXECUTE FUNCTION cameras_locate_area();

-- Every camera's areas from the current boundaries (after an import); only rows that change are written,
-- and the count triggers below move their counts.
CREATE FUNCTION areas_assign_cameras() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    changed bigint;
BEGIN
    UPDATE cameras AS c SET state_geoid = located.state_geoid, county_geoid = located.county_geoid
    FROM (SELECT id, (area_geoids_at(geom)).* FROM cameras) AS located
    WHERE located.id = c.id
      AND (c.state_geoid, c.county_geoid) IS DISTINCT FROM (located.state_geoid, located.county_geoid);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$$;

-- Signed counts added to the per-area rows, locking them in key order so that concurrent camera changes
-- cannot deadlock; then the version of the counts moves on (in the same transaction, so a reader that sees
-- the new counts sees the new version, and one that sees the old version recomputes its figures anyway).
CREATE FUNCTION area_counts_apply(geoids text[], vendors text[], operators text[], sources text[],
                                  deltas integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    changed bigint;
BEGIN
    INSERT INTO area_camera_counts (geoid, vendor, operator, source, cameras)
    SELECT change.geoid, change.vendor, change.operator, change.source, sum(change.delta)::integer
    FROM unnest(geoids, vendors, operators, sources, deltas) AS change(geoid, vendor, operator, source, delta)
    GROUP BY 1, 2, 3, 4
    HAVING sum(change.delta) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (geoid, vendor, operator, source)
    DO UPDATE SET cameras = area_camera_counts.cameras + EXCLUDED.cameras;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed > 0 THEN
        INSERT INTO area_counts_version (id, version) VALUES (1, nextval('area_counts_version_seq'))
            ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
END
$$;

-- One camera row is counted in its state and in its county.
CREATE FUNCTION area_counts_follow_cameras() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM area_counts_apply(array_agg(geoid), array_agg(vendor), array_agg(operator), array_agg(source),
                                  array_agg(delta))
        FROM (
            SELECT geoid, vendor, coalesce(operator, '') AS operator, source, count(*)::integer AS delta
            FROM new_cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
            WHERE status = 'verified' AND NOT demo AND geoid IS NOT NULL
            GROUP BY 1, 2, 3, 4
        ) AS changes;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM area_counts_apply(array_agg(geoid), array_agg(vendor), array_agg(operator), array_agg(source),
                                  array_agg(delta))
        FROM (
            SELECT geoid, vendor, coalesce(operator, '') AS operator, source, -count(*)::integer AS delta
            FROM old_cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
            WHERE status = 'verified' AND NOT demo AND geoid IS NOT NULL
            GROUP BY 1, 2, 3, 4
        ) AS changes;
    ELSE
        -- Rows whose counted fields did not change cancel out in the sum.
        PERFORM area_counts_apply(array_agg(geoid), array_agg(vendor), array_agg(operator), array_agg(source),
                                  array_agg(delta))
        FROM (
            SELECT geoid, vendor, operator, source, sum(delta)::integer AS delta
            FROM (
                SELECT geoid, vendor, coalesce(operator, '') AS operator, source, -1 AS delta
                FROM old_cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
                WHERE status = 'verified' AND NOT demo AND geoid IS NOT NULL
                UNION ALL
                SELECT geoid, vendor, coalesce(operator, ''), source, 1
                FROM new_cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
                WHERE status = 'verified' AND NOT demo AND geoid IS NOT NULL
            ) AS both_sides
            GROUP BY 1, 2, 3, 4
            HAVING sum(delta) <> 0
        ) AS changes;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER area_counts_after_insert AFTER INSERT ON cameras
    REFERENCING NEW TABLE AS new_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION area_counts_follow_cameras();
CREATE TRIGGER area_counts_after_update AFTER UPDATE ON cameras
    REFERENCING OLD TABLE AS old_cameras NEW TABLE AS new_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION area_counts_follow_cameras();
CREATE TRIGGER area_counts_after_delete AFTER DELETE ON cameras
    REFERENCING OLD TABLE AS old_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION area_counts_follow_cameras();

-- Everything from scratch; camera writes wait meanwhile (SHARE lock), so none is lost.
CREATE FUNCTION area_counts_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    rows_written bigint;
BEGIN
    LOCK TABLE cameras IN SHARE MODE;
    TRUNCATE area_camera_counts;
    INSERT INTO area_camera_counts (geoid, vendor, operator, source, cameras)
    SELECT geoid, vendor, coalesce(operator, ''), source, count(*)
    FROM cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
    WHERE status = 'verified' AND NOT demo AND geoid IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS rows_written = ROW_COUNT;
    INSERT INTO area_counts_version (id, version) VALUES (1, nextval('area_counts_version_seq'))
        ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN rows_written;
END
$$;
"""

DROP_FUNCTIONS = """
DROP TRIGGER area_counts_after_insert ON cameras;
DROP TRIGGER area_counts_after_update ON cameras;
DROP TRIGGER area_counts_after_delete ON cameras;
DROP TRIGGER cameras_area_on_insert ON cameras;
DROP TRIGGER cameras_area_on_move ON cameras;
DROP FUNCTION area_counts_rebuild();
DROP FUNCTION area_counts_follow_cameras();
DROP FUNCTION area_counts_apply(text[], text[], text[], text[], integer[]);
DROP FUNCTION areas_assign_cameras();
DROP FUNCTION cameras_locate_area();
DROP FUNCTION area_geoids_at(geometry);
"""


def _multipolygon(name: str) -> sa.Column:
    return sa.Column(
        name,
        Geometry(geometry_type="MULTIPOLYGON", srid=4326, spatial_index=False, nullable=False),
        nullable=False,
    )


def upgrade():
    op.create_table(
        "areas",
        sa.Column("geoid", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("state_geoid", sa.String(), nullable=False),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("road_miles", sa.Float(), nullable=True),
        sa.Column("area_km2", sa.Float(), nullable=False),
        _multipolygon("geom"),
        _multipolygon("geom_simplified"),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("dataset", sa.String(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('state', 'county')", name="area_kind_known"),
        sa.CheckConstraint(
            "(kind = 'state' AND geoid ~ '^[0-9]{2}$' AND state_geoid = geoid) OR "
            "(kind = 'county' AND geoid ~ '^[0-9]{5}$' AND state_geoid = left(geoid, 2))",
            name="area_geoid_shape",
        ),
        sa.CheckConstraint("population IS NULL OR population >= 0", name="area_population_not_negative"),
        sa.CheckConstraint("road_miles IS NULL OR road_miles >= 0", name="area_road_miles_not_negative"),
        sa.CheckConstraint("area_km2 >= 0", name="area_km2_not_negative"),
        sa.PrimaryKeyConstraint("geoid"),
    )
    op.create_index("idx_areas_geom", "areas", ["geom"], postgresql_using="gist")
    op.create_index("idx_areas_geom_simplified", "areas", ["geom_simplified"], postgresql_using="gist")
    op.create_index("ix_areas_kind_state", "areas", ["kind", "state_geoid"])
    op.create_index("ix_areas_state_geoid", "areas", ["state_geoid"])
    op.create_table(
        "area_parts",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("geoid", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column(
            "geom",
            Geometry(geometry_type="POLYGON", srid=4326, spatial_index=False, nullable=False),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("idx_area_parts_geom", "area_parts", ["geom"], postgresql_using="gist")
    op.create_index("ix_area_parts_geoid", "area_parts", ["geoid"])
    op.create_table(
        "area_camera_counts",
        sa.Column("geoid", sa.String(), nullable=False),
        sa.Column("vendor", sa.String(), nullable=False),
        sa.Column("operator", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("cameras", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("geoid", "vendor", "operator", "source"),
    )
    op.create_table(
        "area_counts_version",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name="area_counts_version_one_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    # Versions come from a sequence: a rolled-back change's number is never handed out again.
    op.execute("CREATE SEQUENCE area_counts_version_seq")
    op.execute("INSERT INTO area_counts_version (id, version) VALUES (1, nextval('area_counts_version_seq'))")
    op.add_column("cameras", sa.Column("osm_start_date", sa.String(), nullable=True))
    op.add_column("cameras", sa.Column("started_month", sa.Date(), nullable=True))
    op.add_column("cameras", sa.Column("state_geoid", sa.String(), nullable=True))
    op.add_column("cameras", sa.Column("county_geoid", sa.String(), nullable=True))
    op.create_check_constraint("camera_osm_start_date_length", "cameras", "char_length(osm_start_date) <= 32")
    op.create_index("ix_cameras_state_geoid", "cameras", ["state_geoid"])
    op.create_index("ix_cameras_county_geoid", "cameras", ["county_geoid"])
    op.execute(FUNCTIONS)


def downgrade():
    op.execute(DROP_FUNCTIONS)
    op.drop_index("ix_cameras_county_geoid", table_name="cameras")
    op.drop_index("ix_cameras_state_geoid", table_name="cameras")
    op.drop_constraint("camera_osm_start_date_length", "cameras", type_="check")
    for column in ("county_geoid", "state_geoid", "started_month", "osm_start_date"):
        op.drop_column("cameras", column)
    op.drop_table("area_camera_counts")
    op.drop_table("area_parts")
    op.drop_table("area_counts_version")
    op.execute("DROP SEQUENCE area_counts_version_seq")
    op.drop_table("areas")
