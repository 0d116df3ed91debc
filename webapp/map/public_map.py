"""What the public map shows: verified cameras only."""

import json

import folium
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.map.folium_page import self_hosted_map
from webapp.models import Camera

# A first, simple layer; the scalable density map replaces it with vector tiles.
MAX_EMBEDDED_CAMERAS = 5000


def national_map() -> tuple[folium.Map, int]:
    verified = Camera.status == "verified"
    count = db.session.scalar(select(func.count()).where(verified))
    rows = db.session.execute(
        select(Camera.id, Camera.vendor, func.ST_X(Camera.geom), func.ST_Y(Camera.geom))
        .where(verified)
        .order_by(Camera.id)
        .limit(MAX_EMBEDDED_CAMERAS)
    ).all()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"id": camera_id, "vendor": vendor},
        }
        for camera_id, vendor, lon, lat in rows
    ]
    fmap = self_hosted_map(location=[39.5, -98.35], zoom_start=4)
    folium.GeoJson(
        json.loads(json.dumps({"type": "FeatureCollection", "features": features})),
        name="cameras",
        marker=folium.CircleMarker(radius=3, color="#b4232a", fill=True, fill_opacity=0.8, weight=1),
    ).add_to(fmap)
    return fmap, count
