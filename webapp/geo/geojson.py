"""GeoJSON points as every answer writes them: coordinates to Limits.COORDINATE_DIGITS (6 decimals, about
10 cm: enough for a camera, and no finer trail of how it was placed)."""

from webapp.kernel.vocabulary import Limits


def point_feature(feature_id: int, lon: float, lat: float, properties: dict) -> dict:
    digits = Limits.COORDINATE_DIGITS
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": "Point", "coordinates": [round(lon, digits), round(lat, digits)]},
        "properties": properties,
    }
