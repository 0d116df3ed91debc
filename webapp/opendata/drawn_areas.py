"""Drawn areas kept by hash (table `feed_areas`): a polygon someone follows (webapp.feeds) or downloads the
cameras of (the `area=` selection), a route's corridor included. The same shape always gets the same hash."""

from sqlalchemy import text

from webapp.kernel.extensions import db


def keep_area(shape: str) -> str:
    """Keep a checked GeoJSON (Multi)Polygon under the hash of its normalised geometry; the hash. The caller
    checks the shape first (webapp.coverage.polygon.checked_shape bounds a drawn one) and commits."""
    row = db.session.execute(
        text(
            """
            WITH given AS (
                SELECT ST_Multi(ST_Normalize(
                    ST_SnapToGrid(ST_SetSRID(ST_GeomFromGeoJSON(:shape), 4326), 1e-6)
                )) AS geom
            )
            SELECT encode(sha256(ST_AsBinary(geom)), 'hex') AS hash, ST_AsEWKB(geom) AS geom FROM given
            """
        ),
        {"shape": shape},
    ).one()
    area_hash = row.hash[:32]
    db.session.execute(
        text(
            "INSERT INTO feed_areas (hash, geom) VALUES (:hash, ST_GeomFromEWKB(:geom)) "
            "ON CONFLICT DO NOTHING"
        ),
        {"hash": area_hash, "geom": row.geom},
    )
    return area_hash
