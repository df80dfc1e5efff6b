"""Print how many SQL queries each budgeting page issues, for a small and a large pot, in one run.

    .venv/bin/python bench/budget_page_queries.py [--database-url URL]

Small: 5 proposals and 10 ballots. Large: 60 proposals and 3,000 ballots. Each pot is counted (results
pages) and also shown while voting (the ballot page). A count that grows with the pot is an N+1; the tests
in tests/budgeting assert equality, this prints the figures.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.query_counts import count  # noqa: E402
from forum import create_app  # noqa: E402
from forum.accounts.models import User  # noqa: E402
from forum.budgeting.models import Ballot, BallotChoice, Channel  # noqa: E402
from forum.budgeting.services import budgets, phases  # noqa: E402
from forum.extensions import db  # noqa: E402


def make_pot(label: str, proposals: int, ballots: int, staff: User) -> dict[str, str]:
    """A budget with one pot of ``proposals`` proposals and ``ballots`` paper ballots, counted; and its
    twin still in voting. Returns the pages to measure."""
    urls: dict[str, str] = {}
    chance = random.Random(proposals)
    for phase in ("results", "voting"):
        area = budgets.create_area(f"{label} {phase}")
        budget = budgets.create_budget(f"{label} {phase}", "A bench budget.", results_rule="mes")
        pot = budgets.create_pot(budget, area, area.name, 1_000_000 * 100)
        ids = [budgets.create_proposal(pot, f"Project {n}", chance.randint(5, 200) * 1000 * 100,
                                       f"About project {n}", staff).id for n in range(proposals)]
        phases.move_budget(budget, staff, "voting")
        db.session.execute(insert(Ballot.__table__), [
            {"pot_id": pot.id, "anonymous_key": f"paper:{n}", "channel": Channel.PAPER} for n in range(ballots)])
        ballot_ids = db.session.scalars(select(Ballot.id).where(Ballot.pot_id == pot.id)).all()
        db.session.execute(insert(BallotChoice.__table__), [
            {"ballot_id": bid, "proposal_id": pid, "points": 1}
            for bid in ballot_ids for pid in chance.sample(ids, min(3, len(ids)))])
        db.session.commit()
        if phase == "results":
            phases.move_budget(budget, staff, "results")
            urls.update({"budget page": f"/budgets/{budget.slug}", "proposal list": f"/budgets/{budget.slug}/proposals",
                         "proposal page": f"/budgets/proposals/{ids[0]}", "results": f"/budgets/pots/{pot.id}/results"})
        else:
            urls["ballot page"] = f"/budgets/pots/{pot.id}/ballot"
            urls["proposal list (voting)"] = f"/budgets/{budget.slug}/proposals"
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    # The made-up content posts the same text from brand-new accounts: no spam or pre-moderation rules.
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False, "DUPLICATE_POST_WINDOW_SECONDS": 0,
                      "PREMODERATE_FIRST_POSTS": 0})
    with app.app_context():
        db.drop_all()
        db.create_all()
        staff = User(display_name="Bench Staff", handle="bench-staff", email="staff@example.org",
                     email_key="staff@example.org", role="civil_servant",
                     password_hash=generate_password_hash("x", "pbkdf2:sha256:1"))
        voter = User(display_name="Bench Voter", handle="bench-voter", email="voter@example.org",
                     email_key="voter@example.org", password_hash=generate_password_hash("x", "pbkdf2:sha256:1"))
        db.session.add_all([staff, voter])
        db.session.commit()
        small = make_pot("Small", proposals=5, ballots=10, staff=staff)
        large = make_pot("Large", proposals=60, ballots=3000, staff=staff)
        voter_id = voter.get_id()
    print("Queries per budgeting page (small: 5 proposals, 10 ballots; large: 60 proposals, 3,000 ballots)")
    for viewer in ("anonymous", "voter"):
        client = app.test_client()
        if viewer == "voter":
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = voter_id, True
        for page in small:
            print(f"  {viewer:<9} {page:<24} small {count(app, client, small[page]):>3}   "
                  f"large {count(app, client, large[page]):>3}")


if __name__ == "__main__":
    main()
