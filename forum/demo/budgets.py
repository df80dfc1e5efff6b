"""The demo's participatory budgets: one in its voting phase for the "Make a bigger difference" group's area,
with proposals discussed in threads, and one finished, counted and being delivered.

They are built through the budgeting services (proposals, review, phase moves, counting), in the seed's one
unit of work. The ballots are written in bulk like an import of paper ballots: the demo needs many, and they are
synthetic.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select

from forum.accounts.models import User
from forum.budgeting.models import (
    Ballot,
    BallotChoice,
    Budget,
    Channel,
    DeliveryStatus,
    DeliveryUpdate,
    Phase,
    Pot,
    Proposal,
    ProposalStatus,
    ProposalThread,
    ResultsRule,
)
from forum.budgeting.services import budgets as budget_services
from forum.budgeting.services import phases
from forum.budgeting.services.proposals import review_proposal
from forum.budgeting.services.results import count_and_store
from forum.common import markup
from forum.common.timefmt import utcnow
from forum.demo import timeline
from forum.extensions import db
from forum.groups.models import Group
from forum.tags import services as tag_services
from forum.threads import services as thread_services
from forum.threads.models import Thread

VOTING_TITLE = "Make a bigger difference in Northfield 2027"
VOTING_DESCRIPTION = (
    "Northfield's residents decide how **£100,000** is spent in their area. This budget grew out of the "
    "*Make a bigger difference* group: from talking about public money to deciding on it.\n\n"
    "Choose the projects you want, up to £100,000 in all. Results are worked out by the Method of Equal Shares, "
    "so every part of Northfield gets a fair say."
)

# title, cost in pounds, author, tags, location, description, review: (feasible, reason, revised cost, why)
VOTING_PROPOSALS = [
    ("Evening opening at Northfield library", 18_000, "Sam Patel", "libraries", "Northfield library",
     "Open the library until 8pm on weekdays for a year, so working people and students can use it.",
     (True, "Staffing costs confirmed with the library service.", None, "")),
    ("Safer cycle routes to three primary schools", 42_000, "Ellie Morgan", "transport, schools",
     "Around Bellfield, Ley Hill and Trinity primary schools",
     "Protected crossings and 20mph zones on the three routes children use most.",
     (True, "Deliverable by highways in one summer holiday.", 46_500,
      "Includes the road-safety survey highways must carry out first.")),
    ("Repair café in the community centre", 8_500, "Ellie Morgan", "environment", "Northfield community centre",
     "Monthly repair sessions with volunteers and tools, so fewer things end up in landfill.",
     (True, "", None, "")),
    ("Trees along the Bristol Road", 25_000, "Jo Walker", "environment, green budget", "Bristol Road South",
     "Plant 60 street trees, with three years of watering and care.",
     (True, "Tree officers have agreed the planting sites.", None, "")),
    ("Water refill points in four parks", 12_000, "Sam Patel", "parks, environment",
     "Victoria Common, Manor Farm Park, Woodgate Valley and Northfield Park",
     "Drinking fountains with bottle fillers, maintained by the parks team.",
     (True, "", None, "")),
    ("Youth music studio", 30_000, "Jo Walker", "young people", "The Grove youth centre",
     "Turn the unused store room into a small recording studio run by youth workers.",
     (True, "The youth service will cover running costs after year one.", None, "")),
    ("Drop-in digital help", 6_000, "Richard Parsons", "libraries, digital inclusion", "Northfield library",
     "Weekly drop-in help for people getting online: forms, video calls, staying safe.",
     (True, "", None, "")),
    ("Covered market hall", 90_000, "Richard Parsons", "markets", "Victoria Common car park",
     "A covered hall for a weekly market and community events.",
     (False, "The site is not council land, and the cost does not include the building's running costs.",
      None, "")),
]

# Threads in "Make a bigger difference" that discuss a proposal: (proposal index, author, title, body, replies)
VOTING_THREADS = [
    (1, "Ellie Morgan", "Safer routes to school: is £46,500 the right price?",
     "Highways raised the cost of the cycle routes by £4,500 for a survey. Is it still worth it, or should the "
     "money go further elsewhere?",
     [("Tom Okafor", "The survey is a legal requirement, so any crossing scheme would carry it."),
      ("Jo Walker", "Worth it. The Bellfield crossing is dangerous at 8.30am.")]),
    (0, "Sam Patel", "Evening library opening: who would use it?",
     "If you would use the library after 5pm, say when and what for. It will help the library plan staffing.",
     [("Ellie Morgan", "Homework club on Tuesdays and Thursdays."),
      ("Richard Parsons", "The drop-in digital help could run in the same evenings.")]),
]

FINISHED_TITLE = "Green Neighbourhoods 2026"
FINISHED_DESCRIPTION = (
    "Selly Oak's first participatory budget: £60,000 for greener streets and parks, decided by residents "
    "in 2026 and counted by the Method of Equal Shares."
)
# title, cost in pounds, tags; the first three were backed by most voters, the last three by a third of them.
FINISHED_PROPOSALS = [
    ("Community orchard on Bournbrook recreation ground", 30_000, "green budget, parks"),
    ("Solar panels on the community centre roof", 25_000, "green budget, energy"),
    ("Wildflower verges on the Bristol Road", 20_000, "green budget, environment"),
    ("Bike repair stands at four schools", 10_000, "green budget, transport"),
    ("Rain gardens on Exeter Road", 8_000, "green budget, environment"),
    ("Tool library at the allotments", 5_000, "green budget"),
    ("Bat boxes in Selly Oak park", 1_500, "green budget, parks"),
]
# Residents who voted online in Selly Oak (proposal indexes), beside the paper ballots from the drop-in sessions.
FINISHED_ONLINE = {
    "Jo Walker": [1, 3, 6], "Sam Patel": [1, 3, 4], "Ellie Morgan": [3, 4, 5, 6], "Richard Parsons": [0, 1],
    "Lee Grant": [2, 3, 5], "Dana Hughes": [1, 5],
}
DELIVERY = {  # funded proposal -> its updates: (status, percent, days ago, note), oldest first
    "Solar panels on the community centre roof": [
        (DeliveryStatus.PLANNED, 0, 90, "Roof survey done; installer chosen after three quotes."),
        (DeliveryStatus.IN_PROGRESS, 40, 10, "Scaffolding up; panels arrive next week."),
    ],
    "Bike repair stands at four schools": [
        (DeliveryStatus.PLANNED, 0, 120, "Stands ordered; the four schools have agreed where they go."),
        (DeliveryStatus.IN_PROGRESS, 50, 60, "Two schools done. **Pupils chose the colours.**"),
        (DeliveryStatus.DELIVERED, 100, 5, "All four schools have their stands, with a pump and tools on each."),
    ],
}


def _people() -> dict[str, User]:
    return {u.display_name: u for u in db.session.scalars(select(User))}


def _tags(proposal: Proposal, text: str) -> None:
    proposal.tags = tag_services.get_or_create(tag_services.parse(text))


def voting_budget() -> Budget:
    """Northfield's budget, open for voting, with reviewed proposals, threads and some ballots already in."""
    people = _people()
    staff = people["Priya Shah"]
    area = budget_services.create_area("Northfield")
    budget = budget_services.create_budget(
        VOTING_TITLE, VOTING_DESCRIPTION, created_by=staff, results_rule=ResultsRule.MES,
        collecting_from=utcnow() - timedelta(days=60), review_from=utcnow() - timedelta(days=30),
        voting_from=utcnow() - timedelta(days=7), results_from=utcnow() + timedelta(days=21),
        delivery_from=utcnow() + timedelta(days=60),
    )
    pot = budget_services.create_pot(budget, area, "Make a bigger difference in Northfield", 10_000_000)
    proposals = []
    for title, cost, author, tags, location, description, _review in VOTING_PROPOSALS:
        proposal = budget_services.create_proposal(pot, title, cost * 100, description, people[author])
        proposal.location = location
        _tags(proposal, tags)
        proposals.append(proposal)
    phases.move_budget(budget, staff, Phase.REVIEW)
    for proposal, spec in zip(proposals, VOTING_PROPOSALS, strict=True):
        feasible, reason, revised, why = spec[6]
        review_proposal(proposal, staff, feasible, reason, cost=revised * 100 if revised else None, cost_reason=why)
    phases.move_budget(budget, staff, Phase.VOTING)
    _discussions(proposals, people, budget.review_from)
    on_ballot = [p for p in proposals if p.status == ProposalStatus.FEASIBLE]
    _online(pot, people, {"Jo Walker": [0, 3, 5], "Sam Patel": [0, 4, 6], "Ellie Morgan": [1, 2, 4]}, proposals)
    _paper(pot, on_ballot, 36, staff, "NF", seed=2027)
    timeline.date_budget(budget, [budget.review_from, budget.voting_from], seed=2027)
    return budget


def _discussions(proposals: list[Proposal], people: dict[str, User], review_from: datetime) -> None:
    """Threads about proposals, started while staff reviewed them and answered over the following days."""
    group = db.session.scalar(select(Group).where(Group.name == "Make a bigger difference"))
    for number, (index, author, title, body, replies) in enumerate(VOTING_THREADS):
        thread = thread_services.start_thread(group, people[author], title, body, "participatory budgeting")
        for reply_author, reply in replies:
            thread_services.reply(thread, people[reply_author], reply)
        timeline.date_thread(thread, review_from + timedelta(days=3 + 4 * number, hours=10), gap=timedelta(days=2))
        db.session.add(ProposalThread(proposal_id=proposals[index].id, thread_id=thread.id,
                                      linked_by_id=people[author].id))
    library = db.session.scalar(select(Thread).where(Thread.title == "Library opening hours"))
    if library is not None:
        db.session.add(ProposalThread(proposal_id=proposals[0].id, thread_id=library.id))


def _online(pot: Pot, people: dict[str, User], votes: dict[str, list[int]], proposals: list[Proposal]) -> None:
    for name, indexes in votes.items():
        ballot = Ballot(pot_id=pot.id, voter_id=people[name].id, channel=Channel.ONLINE)
        db.session.add(ballot)
        db.session.flush()
        db.session.add_all(BallotChoice(ballot_id=ballot.id, proposal_id=proposals[i].id) for i in indexes)


def _paper(pot: Pot, proposals: list[Proposal], count: int, staff: User, prefix: str, seed: int,
           camps: list[tuple[float, list[int]]] | None = None) -> None:
    """``count`` paper ballots entered by ``staff``: each voter backs projects within the money, from their
    camp's favourites (``camps``: share of voters, proposal indexes) or at random."""
    chance = random.Random(seed)
    for n in range(1, count + 1):
        if camps:
            pick, favourites = chance.random(), camps[-1][1]
            for share, indexes in camps:
                if pick < share:
                    favourites = indexes
                    break
                pick -= share
            wanted = [proposals[i] for i in favourites]
        else:
            wanted = chance.sample(proposals, len(proposals))
        chosen, spent = [], 0
        for proposal in wanted:
            if spent + proposal.cost_pence <= pot.amount_pence and chance.random() < 0.8:
                chosen.append(proposal)
                spent += proposal.cost_pence
        ballot = Ballot(pot_id=pot.id, anonymous_key=f"paper:{prefix}-{n:04d}", channel=Channel.PAPER,
                        entered_by_id=staff.id)
        db.session.add(ballot)
        db.session.flush()
        db.session.add_all(BallotChoice(ballot_id=ballot.id, proposal_id=p.id) for p in chosen)


def finished_budget() -> Budget:
    """Selly Oak's budget: voted, counted by equal shares (which funds the smaller camp's projects too, where
    most votes first would not), and two funded projects reporting their delivery."""
    people = _people()
    staff = people["Priya Shah"]
    area = budget_services.create_area("Selly Oak")
    start = utcnow() - timedelta(days=300)
    budget = budget_services.create_budget(
        FINISHED_TITLE, FINISHED_DESCRIPTION, created_by=staff, results_rule=ResultsRule.MES, collecting_from=start,
        review_from=start + timedelta(days=45), voting_from=start + timedelta(days=75),
        results_from=start + timedelta(days=105), delivery_from=start + timedelta(days=120),
    )
    pot = budget_services.create_pot(budget, area, "Selly Oak", 6_000_000)
    proposals = []
    for title, cost, tags in FINISHED_PROPOSALS:
        proposal = budget_services.create_proposal(pot, title, cost * 100, f"{title}, proposed by residents.",
                                                   people["Jo Walker"])
        _tags(proposal, tags)
        proposals.append(proposal)
    phases.move_budget(budget, staff, Phase.VOTING)
    _online(pot, people, FINISHED_ONLINE, proposals)
    _paper(pot, proposals, 150, staff, "SO", seed=2026, camps=[(0.66, [0, 1, 2]), (0.34, [3, 4, 5, 6])])
    phases.move_budget(budget, staff, Phase.RESULTS)
    # The move queues the count for after the seed's one commit; the delivery updates below need the funded
    # proposals now, so the demo counts here too (the job then counts again, the same, and tells the authors).
    count_and_store(pot)
    phases.move_budget(budget, staff, Phase.DELIVERY)
    funded = db.session.scalars(select(Proposal).where(Proposal.pot_id == pot.id,
                                                      Proposal.status == ProposalStatus.SELECTED))
    for proposal in funded:
        for status, percent, days_ago, note in DELIVERY.get(proposal.title, []):
            db.session.add(DeliveryUpdate(
                proposal_id=proposal.id, status=status, percent_complete=percent, author_id=staff.id,
                happened_on=date.today() - timedelta(days=days_ago), note_source=note, note_html=markup.render(note),
            ))
    timeline.date_budget(budget, [budget.voting_from, budget.results_from, budget.delivery_from], seed=2026)
    return budget
