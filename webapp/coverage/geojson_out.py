"""GeoJSON collections in coverage answers (each camera a webapp.geo.geojson.camera_feature)."""


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}
