"""Sightline: a community map of automated license-plate reader cameras.

create_app() builds the app: settings, extensions, the one error handler, and the blueprint and CLI group
each area registers for itself. The layering of the packages is written in docs/architecture.md.
"""

from importlib import import_module

from flask import Flask

from webapp.camera_fields.vendors import vendor_name
from webapp.kernel import config as config_module
from webapp.kernel.data.transactions import init_transactions
from webapp.kernel.errors import register_error_handlers
from webapp.kernel.extensions import babel, csrf, db, login_manager, migrate
from webapp.kernel.http.access import load_user
from webapp.kernel.http.access_log import init_access_log
from webapp.kernel.http.languages import init_languages, select_locale
from webapp.kernel.http.path_ids import init_path_ids
from webapp.kernel.http.proxy import trust_proxies
from webapp.kernel.http.ratelimit import limiter
from webapp.kernel.http.request_origin import init_origin_checks
from webapp.kernel.http.security import init_security
from webapp.kernel.http.sessions import PublicAnswerAwareSessionInterface
from webapp.kernel.http.text_input import init_text_input_guard
from webapp.kernel.http.uploads import InMemoryUploadRequest
from webapp.kernel.vocabulary import Limits, term_label
from webapp.opendata.selection_files import FORMAT_LABELS, selection_downloads
from webapp.releases.listing import figure_in_latest_release

# Every blueprint of the app, each defined in its package's blueprint.py, with the modules whose views
# register on it (routes.py: pages; api.py: the JSON API). Nothing else registers a blueprint or imports a
# view module (tests/app/test_layering.py checks both); the package skeleton is in docs/architecture.md.
BLUEPRINTS = (
    ("webapp.frontend.blueprint.bp", "webapp.frontend.routes"),
    ("webapp.map.blueprint.bp", "webapp.map.routes"),
    ("webapp.tiles.blueprint.bp", "webapp.tiles.routes"),
    ("webapp.opendata.blueprint.bp", "webapp.opendata.api"),
    ("webapp.privacy.blueprint.bp", "webapp.privacy.routes"),
    ("webapp.accounts.blueprint.bp", "webapp.accounts.routes"),
    ("webapp.moderation.blueprint.bp", "webapp.moderation.routes"),
    ("webapp.moderation.blueprint.api_bp", "webapp.moderation.api"),
    ("webapp.moderation.osm.blueprint.bp", "webapp.moderation.osm.routes"),
    ("webapp.cameras.blueprint.bp", "webapp.cameras.routes"),
    ("webapp.flags.blueprint.bp", "webapp.flags.routes"),
    ("webapp.photos.blueprint.bp", "webapp.photos.routes"),
    ("webapp.submit.blueprint.bp", "webapp.submit.routes"),
    ("webapp.submit.blueprint.api_bp", "webapp.submit.api"),
    ("webapp.coverage.blueprint.api_bp", "webapp.coverage.api"),
    ("webapp.coverage.blueprint.tiles_bp", "webapp.coverage.routes"),
    ("webapp.coverage.blueprint.bp", "webapp.coverage.routes"),
    ("webapp.agencies.public.blueprint.bp", "webapp.agencies.public.routes", "webapp.agencies.public.api"),
    (
        "webapp.agencies.moderation.blueprint.bp",
        "webapp.agencies.moderation.routes",
        "webapp.agencies.moderation.api",
    ),
    ("webapp.jobs.blueprint.bp", "webapp.jobs.routes", "webapp.jobs.api"),
    ("webapp.searches.blueprint.bp", "webapp.searches.routes", "webapp.searches.api"),
    ("webapp.releases.blueprint.bp", "webapp.releases.routes", "webapp.releases.api"),
    ("webapp.feeds.blueprint.bp", "webapp.feeds.routes"),
)

CLI_MODULES = (
    "webapp.accounts.cli",
    "webapp.maintenance.cli",
    "webapp.cameras.cli",
    "webapp.tiles.cli",
    "webapp.moderation.cli",
    "webapp.opendata.cli",
    "webapp.areas.cli",
    "webapp.agencies.cli",
    "webapp.jobs.cli",
    "webapp.searches.cli",
    "webapp.releases.cli",
)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    # Uploads are parsed into capped memory buffers, never spooled to a temporary file: an original photo
    # (with its EXIF GPS) must not reach the disk, whichever route receives it.
    app.request_class = InMemoryUploadRequest
    app.config.update(config_module.from_environment())
    if config:
        app.config.update(config)

    trust_proxies(app)
    app.session_interface = PublicAnswerAwareSessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.PROJECT_ROOT / "migrations"), compare_type=True)
    # Before Flask-WTF's own check: a request from another site is refused as such, token or not.
    init_origin_checks(app)
    babel.init_app(app, locale_selector=select_locale)
    init_languages(app)
    limiter.init_app(app)
    # After the rate limits (both read the form): a limited client's body is not even parsed.
    csrf.init_app(app)
    init_text_input_guard(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)

    init_path_ids(app)
    for blueprint_path, *view_modules in BLUEPRINTS:
        for module_name in view_modules:
            import_module(module_name)
        module_name, name = blueprint_path.rsplit(".", 1)
        app.register_blueprint(getattr(import_module(module_name), name))
    for module_name in CLI_MODULES:
        app.cli.add_command(import_module(module_name).cli)
    register_error_handlers(app)
    init_transactions(app)
    init_security(app)
    init_access_log(app)
    # What every template may use: the site's name, the shared limits, vendor display names, the latest
    # release's figure for "cite this", the vocabulary's translated terms.
    app.jinja_env.globals.update(
        site_name="Sightline", limits=Limits, vendor_name=vendor_name, cited_figure=figure_in_latest_release
    )
    app.jinja_env.globals.update(term=term_label)
    app.jinja_env.globals.update(selection_downloads=selection_downloads, format_labels=FORMAT_LABELS)
    app.jinja_env.filters["term"] = term_label
    return app
