"""GeoJSON points and cameras as every answer writes them: coordinates to Limits.COORDINATE_DIGITS (6
decimals, about 10 cm: enough for a camera, and no finer trail of how it was placed)."""

from collections.abc import Iterable, Mapping

from webapp.kernel.vocabulary import Limits

# What a camera says in the coverage answers (a drawn area, a route): the features
# webapp.geo.public_cameras.citable_features_in_shape builds in SQL carry the same.
SUMMARY_FIELDS = ("vendor", "operator", "directions", "source")


def point_feature(feature_id: int, lon: float, lat: float, properties: dict) -> dict:
    digits = Limits.COORDINATE_DIGITS
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": "Point", "coordinates": [round(lon, digits), round(lat, digits)]},
        "properties": properties,
    }


def camera_feature(row: Mapping, fields: Iterable[str] = SUMMARY_FIELDS, **extra) -> dict:
    """A camera (a row with id, lon and lat) as a GeoJSON feature whose properties are its `fields`, in that
    order (directions as a list, never null), then `extra`."""
    properties = {name: row[name] for name in fields}
    if "directions" in properties:
        properties["directions"] = list(properties["directions"] or [])
    return point_feature(row["id"], row["lon"], row["lat"], {**properties, **extra})
