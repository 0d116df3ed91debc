"""Open data: verified cameras as GeoJSON by area, and full exports (GeoJSON, CSV, KML) under the ODbL."""
