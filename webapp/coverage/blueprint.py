"""The coverage blueprints: the /coverage pages and the choropleth tiles (routes; the tiles on a quiet
blueprint), and /api/v1/coverage (api)."""

from flask import Blueprint

from webapp.kernel.http.quiet_routes import quiet_blueprint

bp = Blueprint("coverage", __name__)

api_bp = Blueprint("coverage_api", __name__, url_prefix="/api/v1/coverage")

# Quiet: a map page fetches its tiles right after it loads, so their log lines would time every visit.
tiles_bp = quiet_blueprint(Blueprint("coverage_tiles", __name__))
