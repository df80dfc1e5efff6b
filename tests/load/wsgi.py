"""The forum as gunicorn serves it in the load tests: the real configuration (CSRF and rate limits on, a real
secret key), read from the environment as ``forum.config`` reads it, with the job queue in the test's folder.

``create_app()`` with no mapping would also read ``instance/config.py`` and put the job queue in the instance
folder, shared with a developer's own forum; here everything comes from the environment the test sets:
``DATABASE_URL``, ``SECRET_KEY``, ``RATELIMIT_STORAGE_URI`` and ``FORUM_JOBS_SQLITE_PATH``.
"""

from __future__ import annotations

import os
from typing import Any

from jinja2 import meta

from forum import config, create_app

settings: dict[str, Any] = {}
config.load_environment(settings)
settings["JOBS_SQLITE_PATH"] = os.environ["FORUM_JOBS_SQLITE_PATH"]
app = create_app(settings)


#: The pages the load tests ask for.
PAGES = ("accounts/login.html", "threads/reply.html", "threads/show.html", "budgeting/ballots/show.html",
         "community/flag.html", "errors/error.html")


def compile_templates(names: tuple[str, ...]) -> None:
    """Compile these templates and every template they extend, include or import. With ``--preload`` the
    workers are forked from this process: each then starts with them compiled, rather than compiling them
    during its first requests (a second each on a busy machine)."""
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source = app.jinja_env.loader.get_source(app.jinja_env, name)[0]
        app.jinja_env.get_template(name)
        todo += [ref for ref in meta.find_referenced_templates(app.jinja_env.parse(source)) if ref]


# The form widgets are rendered from Python (govuk-frontend-wtf), so no page names them.
compile_templates(PAGES + tuple(n for n in app.jinja_env.list_templates() if n.startswith("govuk_frontend_wtf/")))
