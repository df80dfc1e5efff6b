"""The background job engine (Huey): slow work and talk with other servers run here, never in a request.

- ``@task()`` declares a job; ``after_commit(job, *args)`` queues it once the current transaction commits (so a
  job never sees, or acts on, a change that was rolled back); ``@periodic(crontab)`` runs one on a schedule.
- Storage: ``SqliteHuey`` in the instance folder by default, ``RedisHuey`` when ``REDIS_URL`` is set; tests set
  ``JOBS_IMMEDIATE`` so a job runs right after the commit, in the same process.
- Workers: ``flask --app forum jobs worker`` (``make run`` starts one beside the web server).

Each job runs in an app context as one unit of work (``forum.common.transaction.unit_of_work``).
"""

from forum.jobs.engine import after_commit, huey_of, init_app, periodic, task

__all__ = ["after_commit", "huey_of", "init_app", "periodic", "task"]
