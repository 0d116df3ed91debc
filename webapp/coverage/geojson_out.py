"""Cameras as GeoJSON in coverage answers: coordinates to 6 decimals (about 10 cm), public fields only."""

COORDINATE_DIGITS = 6


def camera_feature(row: dict, **extra) -> dict:
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {
            "type": "Point",
            "coordinates": [round(row["lon"], COORDINATE_DIGITS), round(row["lat"], COORDINATE_DIGITS)],
        },
        "properties": {
            "vendor": row["vendor"],
            "operator": row["operator"],
            "directions": list(row["directions"] or []),
            "source": row["source"],
            **extra,
        },
    }


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}
