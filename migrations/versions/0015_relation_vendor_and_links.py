"""a sharing relation belongs to a vendor's network; an operator text is linked per state; agencies say
where their state came from and whether they are a portal's test account

Why (issue 23). A relation read from a Flock Safety transparency portal shares what Flock cameras read, not an
agency's Motorola cameras: `agency_sharing.vendor` is the vendor of the relation's source (NULL: a relation not
tied to one vendor's network, every camera of the agency feeds it), and the per-agency map cells of 0011 are
counted per vendor too, so "the cameras that feed a receiver" stays a read of a few thousand rows.
"Richmond Police Department" is Virginia's 35 cameras and California's 28: `operator_links` is keyed by the
text and the cameras' state (`state_geoid`, the FIPS code cameras carry; '' for cameras with no state), and a
camera takes the link of its own state. The camera trigger is renamed so it runs after the one that sets the
camera's state (PostgreSQL fires BEFORE triggers by name), and fires on a change of position or state too.
`agencies.state_basis` says when a state was inferred (`name`, `cameras`; NULL: as the data set or a
moderator gave it) and
`agencies.test_account` marks a portal's test or demo account (left out of every count and list).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# The data sets whose relations were read from Flock Safety transparency portals.
FLOCK_PORTAL_SOURCES = "('news-observer-private-eyes')"

# A camera takes the link of its own state's row when there is one (whatever it decided), else the row of
# every state ('': a moderator's decision for the text anywhere, or cameras with no state).
CAMERA_TRIGGERS = """
DROP TRIGGER cameras_agency_on_operator ON cameras;
DROP TRIGGER cameras_agency_on_insert ON cameras;

-- PL/pgSQL keeps the plans of its queries for the session: a row trigger over an import of 60,000 cameras
-- (a SQL-language function would be planned again for every row).
CREATE FUNCTION operator_link_agency(camera_operator text, camera_state text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    linked_agency bigint;
BEGIN
    SELECT CASE WHEN l.state IN ('linked', 'confirmed') THEN l.agency_id END INTO linked_agency
    FROM operator_links AS l
    WHERE l.operator_key = lower(btrim(camera_operator)) AND l.state_geoid IN (coalesce(camera_state, ''), '')
    ORDER BY l.state_geoid = '' LIMIT 1;
    RETURN linked_agency;
END
$$;

CREATE OR REPLACE FUNCTION cameras_take_operator_agency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT CASE WHEN l.state IN ('linked', 'confirmed') THEN l.agency_id END INTO NEW.agency_id
    FROM operator_links AS l
    WHERE l.operator_key = lower(btrim(NEW.operator)) AND l.state_geoid IN (coalesce(NEW.state_geoid, ''), '')
    ORDER BY l.state_geoid = '' LIMIT 1;
    RETURN NEW;
END
$$;

-- Named to sort after cameras_area_on_insert / cameras_area_on_move, which set state_geoid.
CREATE TRIGGER cameras_operator_agency_on_insert BEFORE INSERT ON cameras
    FOR EACH ROW EXECUTE FUNCTION cameras_take_operator_agency();
CREATE TRIGGER cameras_operator_agency_on_change BEFORE UPDATE OF operator, geom, state_geoid ON cameras
    FOR EACH ROW WHEN (OLD.operator IS DISTINCT FROM NEW.operator OR OLD.geom IS DISTINCT FROM NEW.geom
                       OR OLD.state_geoid IS DISTINCT FROM NEW.state_geoid)
    EXECUTE FUNCTION cameras_take_operator_agency();

-- Every camera with an operator key in `changed` takes the agency its links now give.
CREATE OR REPLACE FUNCTION operator_links_move_cameras(changed text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cameras AS c SET agency_id = operator_link_agency(c.operator, c.state_geoid)
    WHERE lower(btrim(c.operator)) = ANY(changed)
      AND c.agency_id IS DISTINCT FROM operator_link_agency(c.operator, c.state_geoid);
END
$$;

CREATE OR REPLACE FUNCTION operator_links_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM operator_links_move_cameras(ARRAY(
        SELECT n.operator_key FROM new_links AS n JOIN old_links AS o USING (operator_key, state_geoid)
        WHERE (n.state, n.agency_id) IS DISTINCT FROM (o.state, o.agency_id)));
    RETURN NULL;
END
$$;
"""

OLD_CAMERA_TRIGGERS = """
DROP TRIGGER cameras_operator_agency_on_change ON cameras;
DROP TRIGGER cameras_operator_agency_on_insert ON cameras;

CREATE OR REPLACE FUNCTION cameras_take_operator_agency() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION operator_links_move_cameras(changed text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cameras AS c SET agency_id = l.agency_id
    FROM unnest(changed) AS k(operator_key)
    LEFT JOIN operator_links AS l ON l.operator_key = k.operator_key AND l.state IN ('linked', 'confirmed')
    WHERE lower(btrim(c.operator)) = k.operator_key AND c.agency_id IS DISTINCT FROM l.agency_id;
END
$$;
CREATE OR REPLACE FUNCTION operator_links_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM operator_links_move_cameras(ARRAY(
        SELECT n.operator_key FROM new_links AS n JOIN old_links AS o USING (operator_key)
        WHERE (n.state, n.agency_id) IS DISTINCT FROM (o.state, o.agency_id)));
    RETURN NULL;
END
$$;
DROP FUNCTION operator_link_agency(text, text);
"""


def _cell_functions(vendor: bool) -> str:
    """0011's functions for agency_camera_cells, counting per vendor (or not, for the downgrade)."""
    v_arg = "vendors text[], " if vendor else ""
    v_col = "vendor, " if vendor else ""
    v_unnest = "vendors, " if vendor else ""
    v_agg = "array_agg(vendor), " if vendor else ""
    v_key = "agency_id, vendor, cell_x, cell_y" if vendor else "agency_id, cell_x, cell_y"
    group = "1, 2, 3, 4" if vendor else "1, 2, 3"
    v_o = "o.vendor, " if vendor else ""
    v_n = "n.vendor, " if vendor else ""
    changed = (
        "(o.agency_id, o.vendor, o.status, o.demo, o.geom) IS DISTINCT FROM "
        "(n.agency_id, n.vendor, n.status, n.demo, n.geom)"
        if vendor
        else "(o.agency_id, o.status, o.demo, o.geom) IS DISTINCT FROM (n.agency_id, n.status, n.demo, n.geom)"
    )
    return f"""
CREATE FUNCTION agency_cells_apply(agencies bigint[], {v_arg}xs integer[], ys integer[], deltas integer[],
                                   lons double precision[], lats double precision[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO agency_camera_cells ({v_key}, cameras, lon_sum, lat_sum)
    SELECT {v_key}, sum(delta)::integer, sum(lon), sum(lat)
    FROM unnest(agencies, {v_unnest}xs, ys, deltas, lons, lats)
         AS change(agency_id, {v_col}cell_x, cell_y, delta, lon, lat)
    GROUP BY {group}
    HAVING sum(delta) <> 0
    ORDER BY {group}
    ON CONFLICT ({v_key}) DO UPDATE SET
        cameras = agency_camera_cells.cameras + EXCLUDED.cameras,
        lon_sum = agency_camera_cells.lon_sum + EXCLUDED.lon_sum,
        lat_sum = agency_camera_cells.lat_sum + EXCLUDED.lat_sum;
$$;

CREATE FUNCTION agency_cells_follow_cameras() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM agency_cells_apply(array_agg(agency_id), {v_agg}array_agg(x), array_agg(y), array_agg(delta),
                                   array_agg(lon), array_agg(lat))
        FROM (
            SELECT agency_id, {v_col}floor(ST_X(geom) / 0.1)::integer AS x, floor(ST_Y(geom) / 0.1)::integer AS y,
                   1 AS delta, ST_X(geom) AS lon, ST_Y(geom) AS lat
            FROM new_cameras WHERE status = 'verified' AND NOT demo AND agency_id IS NOT NULL
        ) AS changes;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM agency_cells_apply(array_agg(agency_id), {v_agg}array_agg(x), array_agg(y), array_agg(delta),
                                   array_agg(lon), array_agg(lat))
        FROM (
            SELECT agency_id, {v_col}floor(ST_X(geom) / 0.1)::integer AS x, floor(ST_Y(geom) / 0.1)::integer AS y,
                   -1 AS delta, -ST_X(geom) AS lon, -ST_Y(geom) AS lat
            FROM old_cameras WHERE status = 'verified' AND NOT demo AND agency_id IS NOT NULL
        ) AS changes;
    ELSE
        PERFORM agency_cells_apply(array_agg(agency_id), {v_agg}array_agg(x), array_agg(y), array_agg(delta),
                                   array_agg(lon), array_agg(lat))
        FROM (
            SELECT o.agency_id, {v_o}floor(ST_X(o.geom) / 0.1)::integer AS x,
                   floor(ST_Y(o.geom) / 0.1)::integer AS y, -1 AS delta, -ST_X(o.geom) AS lon, -ST_Y(o.geom) AS lat
            FROM old_cameras AS o JOIN new_cameras AS n USING (id)
            WHERE o.status = 'verified' AND NOT o.demo AND o.agency_id IS NOT NULL AND {changed}
            UNION ALL
            SELECT n.agency_id, {v_n}floor(ST_X(n.geom) / 0.1)::integer, floor(ST_Y(n.geom) / 0.1)::integer,
                   1, ST_X(n.geom), ST_Y(n.geom)
            FROM old_cameras AS o JOIN new_cameras AS n USING (id)
            WHERE n.status = 'verified' AND NOT n.demo AND n.agency_id IS NOT NULL AND {changed}
        ) AS changes;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION agency_cells_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    rows_written bigint;
BEGIN
    LOCK TABLE cameras IN SHARE MODE;
    TRUNCATE agency_camera_cells;
    INSERT INTO agency_camera_cells ({v_key}, cameras, lon_sum, lat_sum)
    SELECT agency_id, {v_col}floor(ST_X(geom) / 0.1)::integer, floor(ST_Y(geom) / 0.1)::integer, count(*),
           sum(ST_X(geom)), sum(ST_Y(geom))
    FROM cameras WHERE status = 'verified' AND NOT demo AND agency_id IS NOT NULL
    GROUP BY {group} ORDER BY {group};
    GET DIAGNOSTICS rows_written = ROW_COUNT;
    RETURN rows_written;
END
$$;

CREATE TRIGGER agency_cells_after_insert AFTER INSERT ON cameras
    REFERENCING NEW TABLE AS new_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION agency_cells_follow_cameras();
CREATE TRIGGER agency_cells_after_update AFTER UPDATE ON cameras
    REFERENCING OLD TABLE AS old_cameras NEW TABLE AS new_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION agency_cells_follow_cameras();
CREATE TRIGGER agency_cells_after_delete AFTER DELETE ON cameras
    REFERENCING OLD TABLE AS old_cameras
    FOR EACH STATEMENT EXECUTE FUNCTION agency_cells_follow_cameras();
"""


def _drop_cell_functions(vendor: bool) -> str:
    v_type = "text[], " if vendor else ""
    return f"""
DROP TRIGGER agency_cells_after_insert ON cameras;
DROP TRIGGER agency_cells_after_update ON cameras;
DROP TRIGGER agency_cells_after_delete ON cameras;
DROP FUNCTION agency_cells_rebuild();
DROP FUNCTION agency_cells_follow_cameras();
DROP FUNCTION agency_cells_apply(bigint[], {v_type}integer[], integer[], integer[], double precision[],
                                 double precision[]);
"""


def _cells_table(vendor: bool) -> None:
    op.drop_table("agency_camera_cells")
    op.create_table(
        "agency_camera_cells",
        sa.Column("agency_id", sa.BigInteger(), primary_key=True),
        *([sa.Column("vendor", sa.String(), primary_key=True)] if vendor else []),
        sa.Column("cell_x", sa.Integer(), primary_key=True),
        sa.Column("cell_y", sa.Integer(), primary_key=True),
        sa.Column("cameras", sa.Integer(), nullable=False),
        sa.Column("lon_sum", sa.Float(precision=53), nullable=False),
        sa.Column("lat_sum", sa.Float(precision=53), nullable=False),
    )


def upgrade():
    # 1. The vendor of a relation's network.
    op.add_column("agency_sharing", sa.Column("vendor", sa.String(), nullable=True))
    op.create_check_constraint("sharing_vendor_slug", "agency_sharing", "vendor ~ '^[a-z0-9]+(-[a-z0-9]+)*$'")
    op.execute(
        "UPDATE agency_sharing SET vendor = 'flock-safety' WHERE data_source_id IN "
        f"(SELECT id FROM data_sources WHERE key IN {FLOCK_PORTAL_SOURCES})"
    )
    # 2. The per-agency map cells, per vendor.
    op.execute(_drop_cell_functions(vendor=False))
    _cells_table(vendor=True)
    op.execute(_cell_functions(vendor=True))
    op.execute("SELECT agency_cells_rebuild()")
    # 3. An operator text linked per state: each link is copied to every state its cameras stand in (the
    # state with most cameras keeps the row, its id and its audit events).
    op.add_column("operator_links", sa.Column("state_geoid", sa.String(), server_default="", nullable=False))
    op.drop_constraint("operator_links_pkey", "operator_links", type_="primary")
    op.execute(
        """
        CREATE TEMPORARY TABLE link_states ON COMMIT DROP AS
        SELECT lower(btrim(operator)) AS operator_key, coalesce(state_geoid, '') AS state_geoid,
               row_number() OVER (PARTITION BY lower(btrim(operator)) ORDER BY count(*) DESC,
                                  coalesce(state_geoid, '')) AS rank
        FROM cameras WHERE btrim(coalesce(operator, '')) <> '' GROUP BY 1, 2;
        UPDATE operator_links AS l SET state_geoid = s.state_geoid
        FROM link_states AS s WHERE s.operator_key = l.operator_key AND s.rank = 1;
        INSERT INTO operator_links (operator_key, state_geoid, operator, state, agency_id, score, candidates,
                                    decided_by_user_id, updated_at)
        SELECT l.operator_key, s.state_geoid, l.operator, l.state, l.agency_id, l.score, l.candidates,
               l.decided_by_user_id, l.updated_at
        FROM operator_links AS l JOIN link_states AS s ON s.operator_key = l.operator_key AND s.rank > 1;
        """
    )
    op.create_primary_key("operator_links_pkey", "operator_links", ["operator_key", "state_geoid"])
    op.create_check_constraint(
        "operator_link_state_geoid", "operator_links", "state_geoid = '' OR state_geoid ~ '^[0-9]{2}$'"
    )
    op.execute(CAMERA_TRIGGERS)
    # Every camera under the link of its own state.
    op.execute("SELECT operator_links_move_cameras(ARRAY(SELECT DISTINCT operator_key FROM operator_links))")
    # 4. Where an agency's state came from, and portals' test accounts.
    op.add_column("agencies", sa.Column("state_basis", sa.String(), nullable=True))
    op.add_column(
        "agencies", sa.Column("test_account", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )
    op.create_check_constraint(
        "agency_state_basis",
        "agencies",
        "state_basis IS NULL OR (state IS NOT NULL AND state_basis IN ('name', 'cameras'))",
    )


def downgrade():
    op.drop_constraint("agency_state_basis", "agencies", type_="check")
    op.drop_column("agencies", "test_account")
    op.drop_column("agencies", "state_basis")
    op.execute(OLD_CAMERA_TRIGGERS)
    op.drop_constraint("operator_link_state_geoid", "operator_links", type_="check")
    # One link per text again: the state with most cameras keeps its row (its id and audit events).
    op.execute(
        """
        DELETE FROM operator_links AS l USING (
            SELECT operator_key, state_geoid, row_number() OVER (PARTITION BY operator_key ORDER BY
                (SELECT count(*) FROM cameras AS c WHERE lower(btrim(c.operator)) = k.operator_key
                 AND coalesce(c.state_geoid, '') = k.state_geoid) DESC, id) AS rank
            FROM operator_links AS k
        ) AS ranked
        WHERE ranked.operator_key = l.operator_key AND ranked.state_geoid = l.state_geoid AND ranked.rank > 1
        """
    )
    op.drop_constraint("operator_links_pkey", "operator_links", type_="primary")
    op.create_primary_key("operator_links_pkey", "operator_links", ["operator_key"])
    op.drop_column("operator_links", "state_geoid")
    op.execute(_drop_cell_functions(vendor=True))
    _cells_table(vendor=False)
    op.execute(_cell_functions(vendor=False))
    op.execute("SELECT agency_cells_rebuild()")
    op.drop_constraint("sharing_vendor_slug", "agency_sharing", type_="check")
    op.drop_column("agency_sharing", "vendor")
