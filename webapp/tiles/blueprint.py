"""The tiles' blueprint: the density vector tiles (routes)."""

from flask import Blueprint

from webapp.kernel.http.quiet_routes import quiet_blueprint

# Quiet: a map page fetches its tiles right after it loads, so their log lines would time every visit.
bp = quiet_blueprint(Blueprint("tiles", __name__))
