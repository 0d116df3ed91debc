"""Cameras as GeoJSON in coverage answers: public fields only (points as webapp.geo.geojson writes them)."""

from webapp.geo.geojson import point_feature


def camera_feature(row: dict, **extra) -> dict:
    properties = {
        "vendor": row["vendor"],
        "operator": row["operator"],
        "directions": list(row["directions"] or []),
        "source": row["source"],
        **extra,
    }
    return point_feature(row["id"], row["lon"], row["lat"], properties)


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}
