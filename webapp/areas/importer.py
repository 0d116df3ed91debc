"""Loading boundaries into `areas`: upsert the areas of a file by GEOID, drop the areas of the same kind the
file no longer has, then give every camera its state and county again (the count triggers move the counts).
The caller commits."""

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from webapp.areas.boundaries import AreaRecord, read_boundary_file
from webapp.areas.builtin import BUILTIN_DATASET, BUILTIN_STATES_FILE, KNOWN_SOURCES
from webapp.kernel.extensions import db

# Degrees: about 1 km, under a pixel at the zooms the simplified copy is drawn at (webapp.coverage.tiles).
SIMPLIFY_DEGREES = 0.01
# The pieces the camera trigger looks points up in (see webapp.kernel.data.models.area.AreaPart).
PART_MAX_VERTICES = 64

# Invalid rings (self-touching coastlines) are repaired and anything but polygons dropped, so every stored
# boundary is a valid MultiPolygon.
UPSERT_SQL = text(
    """
    INSERT INTO areas (geoid, kind, name, state_geoid, population, road_miles, area_km2, geom,
                       geom_simplified, source, dataset, imported_at)
    SELECT r.geoid, r.kind, r.name, r.state_geoid, r.population, r.road_miles,
           ST_Area(shape.geom::geography) / 1e6, shape.geom,
           ST_Multi(ST_CollectionExtract(ST_MakeValid(
               ST_SimplifyPreserveTopology(shape.geom, :simplify_degrees)), 3)),
           :source, :dataset, now()
    FROM unnest(CAST(:geoids AS text[]), CAST(:kinds AS text[]), CAST(:names AS text[]),
                CAST(:state_geoids AS text[]), CAST(:populations AS bigint[]),
                CAST(:road_miles AS double precision[]), CAST(:geometries AS text[]))
         AS r(geoid, kind, name, state_geoid, population, road_miles, geometry)
    CROSS JOIN LATERAL (
        SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(
                   ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326)), 3)) AS geom
    ) AS shape
    ON CONFLICT (geoid) DO UPDATE SET
        kind = EXCLUDED.kind, name = EXCLUDED.name, state_geoid = EXCLUDED.state_geoid,
        population = EXCLUDED.population, road_miles = EXCLUDED.road_miles, area_km2 = EXCLUDED.area_km2,
        geom = EXCLUDED.geom, geom_simplified = EXCLUDED.geom_simplified, source = EXCLUDED.source,
        dataset = EXCLUDED.dataset, imported_at = EXCLUDED.imported_at
    """
).bindparams(simplify_degrees=SIMPLIFY_DEGREES)


@dataclass
class AreaImport:
    areas: Counter
    removed: int
    cameras_reassigned: int


def source_for(path: Path, source: str | None) -> str:
    """The source sentence of a file: the one given, or the known one for the shared and built-in files."""
    if source:
        return source
    if path.name in KNOWN_SOURCES:
        return KNOWN_SOURCES[path.name]
    raise ValueError(f"{path.name}: say where its boundaries and figures come from with --source")


def dataset_name(path: Path) -> str:
    return BUILTIN_DATASET if Path(path) == BUILTIN_STATES_FILE else Path(path).name


def import_boundary_files(paths: list[Path], source: str | None = None) -> AreaImport:
    """Load every file (states and counties may come in separate files), then reassign every camera."""
    loaded: Counter = Counter()
    removed = 0
    for path in paths:
        records = read_boundary_file(path)
        removed += _store(records, source_for(path, source), dataset_name(path))
        loaded.update(record.kind.value for record in records)
    reassigned = db.session.scalar(text("SELECT areas_assign_cameras()"))
    # New boundaries or denominators change the figures even where no camera moved: a recount for the app.
    db.session.execute(text("SELECT area_counts_move_version(true)"))
    return AreaImport(areas=loaded, removed=removed, cameras_reassigned=int(reassigned))


def _store(records: list[AreaRecord], source: str, dataset: str) -> int:
    db.session.execute(
        UPSERT_SQL,
        {
            "geoids": [record.geoid for record in records],
            "kinds": [record.kind.value for record in records],
            "names": [record.name for record in records],
            "state_geoids": [record.state_geoid for record in records],
            "populations": [record.population for record in records],
            "road_miles": [record.road_miles for record in records],
            "geometries": [json.dumps(record.geometry) for record in records],
            "source": source,
            "dataset": dataset,
        },
    )
    kinds = sorted({record.kind.value for record in records})
    result = db.session.execute(
        text("DELETE FROM areas WHERE kind = ANY(:kinds) AND NOT (geoid = ANY(:geoids))"),
        {"kinds": kinds, "geoids": [record.geoid for record in records]},
    )
    db.session.execute(text("DELETE FROM area_parts WHERE kind = ANY(:kinds)"), {"kinds": kinds})
    db.session.execute(
        text(
            """
            INSERT INTO area_parts (geoid, kind, geom)
            SELECT geoid, kind, ST_Subdivide(geom, :max_vertices) FROM areas WHERE kind = ANY(:kinds)
            """
        ),
        {"kinds": kinds, "max_vertices": PART_MAX_VERTICES},
    )
    return result.rowcount


def datasets_loaded() -> set[str]:
    return set(db.session.scalars(text("SELECT DISTINCT dataset FROM areas")))


def rebuild_counts() -> int:
    """Recompute every per-area count from the cameras (camera writes wait meanwhile)."""
    return int(db.session.scalar(text("SELECT area_counts_rebuild()")))


def count_discrepancies(limit: int = 20) -> list[tuple]:
    """(geoid, vendor, operator, source, stored, actual) wherever the stored counts differ from a fresh
    count; empty when they agree."""
    rows = db.session.execute(
        text(
            """
            WITH actual AS (
                SELECT geoid, vendor, coalesce(operator, '') AS operator, source, count(*) AS cameras
                FROM cameras CROSS JOIN LATERAL unnest(ARRAY[state_geoid, county_geoid]) AS geoid
                WHERE camera_citable(status, demo) AND geoid IS NOT NULL
                GROUP BY 1, 2, 3, 4
            )
            SELECT geoid, vendor, operator, source, coalesce(s.cameras, 0), coalesce(a.cameras, 0)
            FROM actual AS a FULL JOIN area_camera_counts AS s USING (geoid, vendor, operator, source)
            WHERE coalesce(s.cameras, 0) <> coalesce(a.cameras, 0)
            ORDER BY 1, 2, 3, 4 LIMIT :limit
            """
        ),
        {"limit": limit},
    ).all()
    return [tuple(row) for row in rows]
