"""The forum as bench/load.py serves it under gunicorn: production's configuration, from the environment as
``forum.config`` reads it (``FORUM_ENV=production``, ``SECRET_KEY``, ``DATABASE_URL``; Secure cookies, which the
benchmark's clients send back over plain http all the same), with two differences, both for the load generator:

- the job queue is a file in the benchmark's folder (``FORUM_JOBS_SQLITE_PATH``), not the instance folder's;
- the sign-in and posting rate limits are far above what a load run reaches, so that a run measures replies,
  not 429 pages: the limiter still counts every request as in production (its work is measured), it never says no.

``BENCH_PAGE_CACHE_SIGNED_IN=off`` serves signed-in people pages built afresh (the "built afresh" rows).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum import config, create_app  # noqa: E402

UNREACHED = "1000000 per minute"

settings: dict[str, Any] = {}
config.load_environment(settings)
settings.update(JOBS_SQLITE_PATH=os.environ["FORUM_JOBS_SQLITE_PATH"], RATELIMIT_LOGIN=UNREACHED,
                RATELIMIT_POSTING=UNREACHED,
                PAGE_CACHE_SIGNED_IN=os.environ.get("BENCH_PAGE_CACHE_SIGNED_IN", "on") == "on")
app = create_app(settings)
