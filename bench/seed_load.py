"""Seed a large, realistic forum for the load benchmark (bench/load.py), with progress on stderr.

    .venv/bin/python bench/seed_load.py --database-url URL [--scale N]

At ``--scale 1``: 5,000 people, 20 groups (two private), 10,000 threads, 200,000 posts (each with its first
revision) and 50,000 comments, 40 tags, two budgets (one voting, two pots; one counted) with 100 proposals and
10,000 ballots; ``--scale`` multiplies every figure but the groups, tags and proposals (``--scale 5``: 1,000,000
posts; ``--scale 0.05``: 10,000). The schema comes from the migrations (``flask --app forum db upgrade``) on a
database that must be empty; the rows are written in bulk (PostgreSQL ``COPY``, SQLite ``executemany`` in
batches), with every counter the services keep filled as they would have left it (see ``forum_rows``), then
the budget is counted and the search index rebuilt by the app's own code. It prints a JSON manifest (the
URLs and people the benchmark uses) on stdout, and writes it to ``--manifest`` if given.

Every person's password is ``BENCH_PASSWORD`` (hashed once, the same hash for everyone).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Table, insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_load_content import ForumPlan, budget_rows  # noqa: E402

from forum import create_app  # noqa: E402
from forum.common.transaction import unit_of_work  # noqa: E402
from forum.extensions import db  # noqa: E402

BATCH = 5_000


def migrate(url: str) -> None:
    """Build the schema with the migrations, as production does."""
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("FORUM_ENV", None)
    subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "forum", "db", "upgrade"], env=env, cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)


def write(table: Table, columns: Sequence[str], rows: Iterable[tuple], total: int) -> None:
    """Write ``rows`` (tuples in ``columns`` order) into ``table`` in the current transaction, with a progress bar:
    ``COPY`` on PostgreSQL, batched ``executemany`` inserts elsewhere."""
    connection = db.session.connection()
    label = f"{table.name:<22}"
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        if connection.dialect.name == "postgresql":
            cursor = connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for n, row in enumerate(rows, 1):
                    copy.write_row(row)
                    if n % BATCH == 0:
                        bar.update(BATCH)
                bar.update(total - bar.pos)
            return
        statement = insert(table)
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(dict(zip(columns, row, strict=True)))
            if len(batch) == BATCH:
                connection.execute(statement, batch)
                bar.update(len(batch))
                batch = []
        if batch:
            connection.execute(statement, batch)
            bar.update(len(batch))


def reset_sequences(tables: Iterable[str]) -> None:
    """PostgreSQL: the rows came with their ids, so move each id sequence past them."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return
    for name in tables:
        connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"))


def seed(url: str, scale: float, seed_number: int = 14, build_schema: bool = True) -> dict[str, Any]:
    """Migrate, fill and index the database at ``url``; return the manifest."""
    started = time.monotonic()
    if build_schema:
        click.echo(f"Building the schema on {url.split('@')[-1]} ...", err=True)
        migrate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-seed", "JOBS_IMMEDIATE": True})
    with app.app_context():
        if db.session.execute(text("SELECT count(*) FROM users")).scalar():
            raise SystemExit("The database already has people in it: seed an empty one.")
        plan = ForumPlan(scale, seed_number)
        with unit_of_work():
            for table, columns, rows, total in plan.tables():
                write(db.metadata.tables[table], columns, rows, total)
            reset_sequences(plan.tables_with_ids())
        with unit_of_work():
            budgets = budget_rows(plan, write)
            reset_sequences(["budget_ballots"])
        from forum.search import services as search

        with unit_of_work():
            with click.progressbar(length=search.count_indexable(), label=f"{'search index':<22}",
                                   file=sys.stderr, show_pos=True) as bar:
                search.reindex_all(bar.update)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        db.engine.dispose()
    manifest = plan.manifest() | budgets | {"database_url": url, "seconds": round(time.monotonic() - started, 1)}
    click.echo(f"Seeded in {manifest['seconds']} s: {plan.summary()}.", err=True)
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="an empty database (SQLite file or PostgreSQL)")
    parser.add_argument("--scale", type=float, default=1.0, help="1: 200,000 posts; 5: 1,000,000; 0.05: 10,000")
    parser.add_argument("--manifest", type=Path, help="also write the manifest (JSON) here")
    parser.add_argument("--schema-ready", action="store_true", help="the schema is built already: skip db upgrade")
    args = parser.parse_args()
    manifest = seed(args.database_url, args.scale, build_schema=not args.schema_ready)
    if args.manifest:
        args.manifest.write_text(json.dumps(manifest, indent=2))
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
