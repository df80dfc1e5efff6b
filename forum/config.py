"""Configuration: defaults here, then ``instance/config.py``, then the environment.

Only settings that differ between machines come from the environment (``DATABASE_URL``,
``SECRET_KEY``, ``RATELIMIT_STORAGE_URI``, ``MAIL_*``, ``REDIS_URL``, ``BASE_URL``); everything else is a default here.
"""

from __future__ import annotations

import os
from typing import Any

DEFAULTS: dict[str, Any] = {
    "SITE_NAME": "Citizen Forum",
    "SECRET_KEY": None,
    "SQLALCHEMY_DATABASE_URI": None,  # filled in by load_config: SQLite in the instance folder
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 14,
    # A sign-in unused this long ends on the server (forum/accounts/sign_ins.py), whatever the cookie says.
    "SIGN_IN_IDLE_DAYS": 14,
    "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
    # CSRF tokens last as long as the session: someone writing for an hour must not lose the post.
    "WTF_CSRF_TIME_LIMIT": None,
    # Forms check their own token so that a failure re-renders the form with the text intact;
    # forum.common.csrf checks every other state-changing request.
    "WTF_CSRF_CHECK_DEFAULT": False,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_LOGIN": "10 per minute;50 per hour",
    "RATELIMIT_POSTING": "10 per minute;100 per hour",
    # Spam (forum/threads/spam.py): a post equal to the author's latest within the window is refused, and
    # accounts younger than NEW_ACCOUNT_DAYS may put at most NEW_ACCOUNT_MAX_LINKS links in a post.
    "DUPLICATE_POST_WINDOW_SECONDS": 600,
    "NEW_ACCOUNT_DAYS": 3,
    "NEW_ACCOUNT_MAX_LINKS": 2,
    # Moderation (forum/moderation, docs/moderation.md): an item flagged by this many different people is
    # hidden until a moderator looks (0: never); an account's first posts and comments wait for review.
    "FLAG_HIDE_THRESHOLD": 3,
    "PREMODERATE_FIRST_POSTS": 2,
    "RATELIMIT_FLAGGING": "10 per hour;30 per day",
    "QUEUE_PER_PAGE": 20,
    "AUDIT_PER_PAGE": 50,
    "RATELIMIT_REGISTER": "10 per hour",
    "RATELIMIT_RESET": "5 per hour",
    "PASSWORD_RESET_MAX_AGE": 60 * 60,
    # How long a registration's confirmation link works (and an unconfirmed account is kept): 3 days.
    "REGISTRATION_MAX_AGE": 3 * 24 * 60 * 60,
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": True,
    "MAIL_FROM": "forum@localhost",
    # Without MAIL_SERVER, development mail is written to files here (default: instance/mail/).
    "MAIL_FILE_DIR": None,
    "MAIL_MAX_ATTEMPTS": 10,
    # Absolute links in emails and feeds, made outside a request (jobs): where residents reach the forum.
    "BASE_URL": "http://127.0.0.1:5000",
    # Jobs (forum/jobs): Redis when REDIS_URL is set, else SQLite in the instance folder; tests run them at once.
    "REDIS_URL": None,
    # Pages for people not signed in (forum/common/page_cache.py): kept until what they show changes, in this
    # process's memory, or in Redis at PAGE_CACHE_URL (else REDIS_URL) so that every host shares them.
    # How many proxies (nginx, a load balancer) stand in front of the app and set X-Forwarded-For/-Proto/-Host:
    # only then are those headers believed. 0 when gunicorn faces the network itself.
    "PROXY_COUNT": 0,
    "PAGE_CACHE_ENABLED": True,
    # Signed-in people's own pages in the same store (forum/common/own_pages.py); off: built afresh every time.
    "PAGE_CACHE_SIGNED_IN": True,
    "PAGE_CACHE_URL": None,
    "PAGE_CACHE_SECONDS": 600,
    "PAGE_CACHE_ENTRIES": 2000,
    "JOBS_SQLITE_PATH": None,
    "JOBS_IMMEDIATE": False,
    "THREADS_PER_PAGE": 25,
    "POSTS_PER_PAGE": 20,
    "USERS_PER_PAGE": 50,
    "ENV_NAME": "development",
}

ENV_SETTINGS = (
    "SECRET_KEY",
    "RATELIMIT_STORAGE_URI",
    "MAIL_SERVER",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_FROM",
    "MAIL_FILE_DIR",
    "BASE_URL",
    "REDIS_URL",
    "PAGE_CACHE_URL",
)


def database_url_from_env(url: str) -> str:
    """Make a ``DATABASE_URL`` as hosting platforms write it usable with psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_environment(config: dict[str, Any] | Any) -> None:
    """Apply the environment on top of whatever the config holds."""
    for key in ENV_SETTINGS:
        if os.environ.get(key):
            config[key] = os.environ[key]
    if os.environ.get("PROXY_COUNT"):
        config["PROXY_COUNT"] = int(os.environ["PROXY_COUNT"])
    if os.environ.get("MAIL_PORT"):
        config["MAIL_PORT"] = int(os.environ["MAIL_PORT"])
    if os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = database_url_from_env(os.environ["DATABASE_URL"])
    if os.environ.get("FORUM_ENV"):
        config["ENV_NAME"] = os.environ["FORUM_ENV"]


#: The key a development setup falls back to: public (it is here), so the app answers only on this computer with it
#: (``forum.common.security.refuse_others_with_the_development_key``).
DEVELOPMENT_SECRET_KEY = "development-only-secret-key"


class ConfigError(RuntimeError):
    """The configuration cannot run safely (for example production without a secret key)."""


def finalise(config: Any, instance_path: str) -> None:
    """Fill derived settings and refuse unsafe production settings."""
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(instance_path, "forum.sqlite")
    if config["ENV_NAME"] == "production":
        if not config.get("SECRET_KEY"):
            raise ConfigError("SECRET_KEY must be set in production (environment or instance/config.py).")
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    elif not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = DEVELOPMENT_SECRET_KEY
