"""The citizen deliberation forum: ``create_app`` builds the Flask application.

Only this module imports every blueprint and every domain's models, so the domains stay independent.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask, send_from_directory
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import config as config_module
from forum.common import csrf as csrf_checks
from forum.common import errors, own_pages, page_cache, security, transaction
from forum.common.converters import IdConverter
from forum.common.money import format_pence, format_pence_short, format_share
from forum.common.timefmt import time_element
from forum.extensions import csrf, db, limiter, login_manager, migrate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then ``instance/config.py``, then the environment (then a test's mapping)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    app.config.from_mapping(config_module.DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        config_module.load_environment(app.config)
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    config_module.finalise(app.config, app.instance_path)

    app.url_map.converters["id"] = IdConverter
    register_extensions(app)
    register_templates(app)
    register_blueprints(app)
    register_jobs(app)
    register_errorhandlers(app)
    register_commands(app)
    if app.config["PROXY_COUNT"]:
        # Behind nginx (or any proxies): the address, scheme and host of the person, not of the last proxy, for
        # rate limits, the development-key guard and absolute links. Outermost, so the page cache sees them too.
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: enforce foreign keys, and use WAL so readers do not wait for a writer."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # As long as a gunicorn worker may take: SQLite serves waiting writers in no order, so with threaded
        # workers one may wait more than 5 s (tests/load found "database is locked" at 5.2 s).
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def register_extensions(app: Flask) -> None:
    from forum.accounts import sign_ins

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(sign_ins.load)
    csrf_checks.init_app(app)
    transaction.init_app(app)
    security.init_app(app)
    page_cache.init_app(app)
    own_pages.init_app(app)


def register_templates(app: Flask) -> None:
    """Our templates first, then GOV.UK Frontend's macros and the WTForms widgets that use them."""
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(os.path.join(ROOT, "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from govuk_frontend_wtf.main import WTFormsHelpers

    WTFormsHelpers(app)
    app.add_template_filter(time_element, "ago")
    app.add_template_filter(format_pence, "money")
    app.add_template_filter(format_pence_short, "money_short")
    app.add_template_filter(format_share, "share")
    app.add_template_global(app.config["SITE_NAME"], "site_name")

    def assets(filename: str):
        return send_from_directory(os.path.join(ROOT, "static", "govuk"), filename, max_age=86400)

    app.add_url_rule("/assets/<path:filename>", endpoint="assets", view_func=assets)


def register_blueprints(app: Flask) -> None:
    from forum.accounts.routes import bp as accounts_bp
    from forum.budgeting import routes as budgeting_routes
    from forum.groups.routes import bp as groups_bp
    from forum.home.routes import bp as home_bp
    from forum.moderation import routes as moderation_routes
    from forum.search import routes as search_routes
    from forum.tag_pages.routes import bp as tags_bp
    from forum.threads import routes as threads_routes

    for blueprint in (home_bp, accounts_bp, groups_bp, threads_routes.bp, threads_routes.posts_bp,
                      tags_bp, budgeting_routes.bp, moderation_routes.bp,
                      moderation_routes.community_bp, search_routes.bp):
        app.register_blueprint(blueprint)
    from forum.feeds.routes import bp as feeds_bp  # Atom feeds (issue 11)
    app.register_blueprint(feeds_bp)
    from forum.account_data.routes import bp as account_data_bp  # download my data, delete my account (issue 11)
    app.register_blueprint(account_data_bp)
    from forum.places.routes import bp as places_bp  # the count of a place: Total Place (issue 15)
    app.register_blueprint(places_bp)
    moderation_routes.init_app(app)
    search_routes.init_app(app)
    budgeting_routes.register_links()
    from forum.notifications import routes as notifications_routes  # notifications (issue 11)
    app.register_blueprint(notifications_routes.bp)
    notifications_routes.init_app(app)


def register_jobs(app: Flask) -> None:
    """Import every module that declares jobs, then give the app its Huey with all of them."""
    from forum import jobs
    from forum.budgeting.services import counting  # noqa: F401  (declares count_job, sweep_counts)
    from forum.mail import services as mail_services  # noqa: F401  (declares deliver, sweep_outbox)
    from forum.notifications import tasks as notification_tasks  # noqa: F401  (fan_out, daily_digest)

    jobs.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from forum.accounts.cli import users_cli
    from forum.budgeting.cli import budgets_cli
    from forum.demo.cli import seed_demo
    from forum.jobs.cli import jobs_cli
    from forum.search.cli import search_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(budgets_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(search_cli)
    app.cli.add_command(jobs_cli)
