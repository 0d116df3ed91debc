"""Sightline: a community map of automated licence-plate reader cameras."""

from importlib import import_module

from flask import Flask

from webapp import config as config_module
from webapp.extensions import babel, csrf, db, login_manager, migrate
from webapp.ratelimit import limiter
from webapp.sessions import PublicAnswerAwareSessionInterface
from webapp.submit.uploads import InMemoryUploadRequest

# Each area registers its own routes in its own blueprint; this list only says which areas exist.
BLUEPRINT_MODULES = (
    "webapp.assets.routes",
    "webapp.map.routes",
    "webapp.tiles.routes",
    "webapp.opendata.routes",
    "webapp.privacy.routes",
    "webapp.auth.routes",
    "webapp.moderate.routes",
    "webapp.moderate.api",
    "webapp.cameras.routes",
    "webapp.flags.routes",
    "webapp.photos.routes",
    "webapp.submit.routes",
    "webapp.submit.api_routes",
)

CLI_MODULES = (
    "webapp.users.cli",
    "webapp.maintenance.cli",
    "webapp.cameras.cli",
    "webapp.tiles.cli",
    "webapp.moderate.cli",
)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    # Uploads are parsed into capped memory buffers, never spooled to a temporary file: an original photo
    # (with its EXIF GPS) must not reach the disk, whichever route receives it.
    app.request_class = InMemoryUploadRequest
    app.config.update(config_module.from_environment())
    if config:
        app.config.update(config)

    app.session_interface = PublicAnswerAwareSessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.PROJECT_ROOT / "migrations"), compare_type=True)
    csrf.init_app(app)
    babel.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from webapp import models  # noqa: F401  (registers every model before anything queries)
    from webapp.access_log import init_access_log
    from webapp.errors import register_error_handlers
    from webapp.security import init_security
    from webapp.users.accounts import load_user

    login_manager.user_loader(load_user)

    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(import_module(module_name).bp)
    for module_name in CLI_MODULES:
        app.cli.add_command(import_module(module_name).cli)
    register_error_handlers(app)
    init_security(app)
    init_access_log(app)

    @app.context_processor
    def inject_site():
        return {"site_name": "Sightline"}

    return app
