"""The public map page."""

from flask import Blueprint, render_template

from webapp.map.public_map import national_map

bp = Blueprint("map", __name__)


@bp.get("/")
def index():
    fmap, camera_count = national_map()
    return render_template("map/index.html", map_html=fmap.get_root().render(), camera_count=camera_count)
