"""The report's blueprints: the /submit form (routes) and the JSON submission API (api)."""

from flask import Blueprint

from webapp.kernel.http.quiet_routes import quiet_blueprint

# Every request here is part of reporting (the form, the duplicate check, a photo's position, the report, a
# receipt check): none writes a log line, whose time would be the report's (webapp.kernel.http.quiet_routes).
bp = quiet_blueprint(Blueprint("submit", __name__, url_prefix="/submit"))

# A report or a receipt check per request: no log line (webapp.kernel.http.quiet_routes).
api_bp = quiet_blueprint(Blueprint("submit_api", __name__, url_prefix="/api/v1"))
