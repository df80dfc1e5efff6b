"""Counting as a job (forum.budgeting.services.counting): the move to results queues a count per pot and returns
at once; the page says "Counting the votes" until the job stores the result; a failed count is shown to staff
and retried; two counts of one pot never run at once; ``flask budgets count`` counts with a progress bar.

The election is tests/budgeting/test_result_pages.py's: greedy funds 3 of 5 proposals, £80,000, 9 ballots.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from forum.budgeting.count_models import PotCount
from forum.budgeting.models import Pot, Result
from forum.budgeting.services import counting, results
from forum.budgeting.services.results import Stage
from forum.common import transaction
from forum.common.errors import ValidationFailed
from forum.common.timefmt import utcnow
from forum.extensions import db
from forum.notifications.models import Notification
from tests.budgeting.test_result_pages import build_pot
from tests.budgeting.test_views_results import results_url, sign_in, text_of
from tests.factories import make_user

#: Jobs queued for a worker instead of run at commit (a queue of this process's own, in the temp folder).
QUEUED = {"JOBS_IMMEDIATE": False,
          "JOBS_SQLITE_PATH": os.path.join(tempfile.gettempdir(), f"forum-count-jobs-{os.getpid()}.sqlite")}


@pytest.fixture
def app_config(request) -> dict:
    return getattr(request, "param", {})


def status_of(client, pot_id: int) -> dict:
    response = client.get(f"/budgets/pots/{pot_id}/results/count.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def count_row(pot_id: int) -> PotCount | None:
    return db.session.get(PotCount, pot_id, populate_existing=True)


def broken(*args, **kwargs):
    raise RuntimeError("the rule broke")


def test_the_move_to_results_counts_in_the_job_and_tells_the_authors(app, client) -> None:
    with app.app_context():
        author = make_user("Pat Proposer")
        setup = build_pot(phase="voting", count=False, author=author)
        slug, pot_id, author_id = setup.budget.slug, setup.pot.id, author.id
    sign_in(client, "civil_servant", app)
    assert client.post(f"/budgets/{slug}/phase", data={"phase": "results"}).status_code == 302
    page = text_of(client.get(results_url(pot_id)))  # tests run jobs at commit: the job has counted
    assert "3 of 5 proposals funded, spending £80,000 of £80,000." in page
    assert status_of(client, pot_id)["state"] == "done"
    with app.app_context():
        assert count_row(pot_id).state == "done" and count_row(pot_id).finished_at is not None
        told = db.session.scalars(select(Notification.text).where(Notification.recipient_id == author_id)
                                  .where(Notification.kind == "proposal_reviewed")).all()
        outcome = {n: "funded" if n in (1, 2, 5) else "not funded this time" for n in range(1, 6)}
        assert sorted(told) == sorted(f"Your proposal “Project {n}” was {said}" for n, said in outcome.items())


@pytest.mark.parametrize("app_config", [QUEUED], indirect=True)
def test_the_move_returns_at_once_and_the_page_says_counting_until_the_job_has_run(app, client) -> None:
    with app.app_context():
        setup = build_pot(phase="voting", count=False)
        slug, pot_id = setup.budget.slug, setup.pot.id
    sign_in(client, "civil_servant", app)
    assert client.post(f"/budgets/{slug}/phase", data={"phase": "results"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Result.id).where(Result.pot_id == pot_id)) is None  # not counted in the request
        assert count_row(pot_id).state == "queued"
    response = client.get(results_url(pot_id))
    body, page = response.get_data(as_text=True), text_of(response)
    assert "Counting the votes" in page and "Waiting for the count to start." in page
    assert f'href="{results_url(pot_id)}">Refresh this page</a>' in body  # works without JavaScript
    assert 'role="status"' in body and "js/count-progress.js" in body and 'http-equiv="refresh"' not in body
    assert status_of(client, pot_id) | {"elapsed": ""} == {
        "state": "queued", "finished": False, "step": 0, "steps": 4, "message": "Waiting for the count to start.",
        "elapsed": "", "error": None}

    with app.app_context():  # the worker runs the job: one unit of work of its own
        counting.count_job(pot_id)
        transaction.commit()
    assert "3 of 5 proposals funded" in text_of(client.get(results_url(pot_id)))
    assert status_of(client, pot_id)["finished"] is True


def test_the_count_reports_its_stage_where_other_connections_see_it(app, monkeypatch) -> None:
    with app.app_context():
        pot_id = build_pot(count=False).pot.id
    seen = []
    real = results.count_and_store

    def watched(pot, rule=None, progress=None):
        def spy(stage, ballots_read):
            progress(stage, ballots_read)
            with db.engine.connect() as other:  # what the results page would read now
                seen.append(tuple(other.execute(text(
                    "SELECT state, stage, ballots_read, ballots_total FROM budget_counts WHERE pot_id = :p"),
                    {"p": pot.id}).one()))
        return real(pot, rule, spy)

    monkeypatch.setattr(counting, "count_and_store", watched)
    monkeypatch.setattr(counting, "PROGRESS_EVERY", 0)
    with app.app_context():
        counting.count_now(db.session.get(Pot, pot_id))
        transaction.commit()
        assert count_row(pot_id).state == "done"
    assert seen == [("counting", Stage.READING, 0, 9), ("counting", Stage.COUNTING, 9, 9),
                    ("counting", Stage.COMPARING, 9, 9), ("counting", Stage.STORING, 9, 9)]


def test_progress_is_said_in_words() -> None:
    started = utcnow()
    count = PotCount(pot_id=1, state="counting", stage=Stage.COUNTING, ballots_read=6586, ballots_total=6586,
                     queued_at=started, started_at=started)
    said = counting.progress_of(count, "mes", started + timedelta(seconds=75))
    assert said.message == "Step 2 of 4: Counting the votes by equal shares (6,586 ballots read)."
    assert said.elapsed == "Counting for 1 min 15 s." and not said.finished


def test_a_failed_count_is_shown_to_staff_delayed_to_residents_and_tried_again(app, client, monkeypatch) -> None:
    with app.app_context():
        pot_id = build_pot(count=False).pot.id
    monkeypatch.setattr(counting, "count_and_store", broken)
    sign_in(client, "civil_servant", app)
    client.post(f"/budgets/pots/{pot_id}/count")
    with app.app_context():
        assert count_row(pot_id).state == "failed" and count_row(pot_id).error == "RuntimeError: the rule broke"
        assert db.session.scalar(select(Result.id).where(Result.pot_id == pot_id)) is None
    staff_page = text_of(client.get(results_url(pot_id)))
    assert "The count of this pot failed" in staff_page and "Error: RuntimeError: the rule broke" in staff_page
    assert "Try again" in staff_page
    assert status_of(client, pot_id)["error"] == "RuntimeError: the rule broke"

    with client.session_transaction() as session:
        session.clear()
    resident_page = text_of(client.get(results_url(pot_id)))
    assert "The result is delayed" in resident_page and "the rule broke" not in resident_page
    assert "Try again" not in resident_page
    assert status_of(client, pot_id)["error"] is None

    monkeypatch.undo()
    sign_in(client, "civil_servant", app)
    client.post(f"/budgets/pots/{pot_id}/count")  # "Try again"
    page = text_of(client.get(results_url(pot_id)))
    assert "3 of 5 proposals funded" in page and "failed" not in page
    with app.app_context():
        assert count_row(pot_id).state == "done" and count_row(pot_id).error is None


def test_a_second_count_is_refused_while_one_runs(app, client, runner) -> None:
    with app.app_context():
        pot_id = build_pot(count=False).pot.id
        db.session.add(PotCount(pot_id=pot_id, state="counting", claim="another-worker", queued_at=utcnow(),
                                started_at=utcnow(), progress_at=utcnow(), ballots_read=0))
        transaction.commit()
    sign_in(client, "civil_servant", app)
    client.post(f"/budgets/pots/{pot_id}/count")
    page = text_of(client.get(results_url(pot_id)))
    assert "Counting the votes" in page  # the running count's page, not a result
    with app.app_context():
        pot = db.session.get(Pot, pot_id)
        with pytest.raises(ValidationFailed, match="already being counted"):
            counting.request_count(pot, None)
        with pytest.raises(ValidationFailed, match="already being counted"):
            counting.count_now(pot)
        counting.count_job(pot_id)  # a job for the pot (a duplicate) leaves the running count alone
        transaction.commit()
        assert count_row(pot_id).claim == "another-worker"
        assert db.session.scalar(select(Result.id).where(Result.pot_id == pot_id)) is None
    refused = runner.invoke(args=["budgets", "count", str(pot_id)])
    assert refused.exit_code == 1 and "already being counted" in refused.output

    with app.app_context():  # the other worker died: silent past the stale time, its count is taken over
        count_row(pot_id).progress_at = utcnow() - timedelta(hours=1)
        transaction.commit()
        counting.count_now(db.session.get(Pot, pot_id))
        transaction.commit()
        assert count_row(pot_id).state == "done"
        assert db.session.scalar(select(Result.voters).where(Result.pot_id == pot_id)) == 9


def test_the_count_command_counts_here_with_progress_or_queues(app, runner, monkeypatch) -> None:
    with app.app_context():
        pot_id = build_pot(count=False).pot.id
    counted = runner.invoke(args=["budgets", "count", str(pot_id)])
    assert counted.exit_code == 0, counted.output
    assert "Counting\n" in counted.output and "Counted in " in counted.output
    assert "Funded 3 of 5 proposals" in counted.output
    queued = runner.invoke(args=["budgets", "count", str(pot_id), "--queue", "--rule", "mes"])
    assert queued.exit_code == 0 and "Queued the count of pot" in queued.output
    with app.app_context():  # tests run jobs at commit: the command's commit ran it
        assert db.session.scalar(select(Result.rule).where(Result.pot_id == pot_id)) == "mes"

    monkeypatch.setattr(counting, "count_and_store", broken)
    failed = runner.invoke(args=["budgets", "count", str(pot_id)])
    assert failed.exit_code == 1
    assert "The count failed (RuntimeError: the rule broke). Nothing was counted." in failed.output
    with app.app_context():
        assert count_row(pot_id).state == "failed"  # kept for staff, though the command failed
        assert db.session.scalar(select(Result.rule).where(Result.pot_id == pot_id)) == "mes"  # untouched
