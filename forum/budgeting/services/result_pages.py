"""The results page's reads, and the checks before a count (services/counting.py runs counts).

Everything the page shows comes from the stored :class:`Result` and its lines (two queries, whatever the number
of proposals or ballots): the ballots are read only when the pot is counted. The fairness figures are what the
count kept: the share of voters with at least one funded project and the spending per voter, under both rules
(a result counted before the other rule's share was kept shows it for the rule used only).

The charts' bar lengths are worked out here, in plain numbers, so the template only prints SVG attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import func, select

from forum.budgeting.count_models import PotCount
from forum.budgeting.models import Ballot, Phase, Pot, Proposal, Result, ResultLine, ResultsRule
from forum.common.errors import ValidationFailed
from forum.common.money import format_pence
from forum.extensions import db

#: What residents call each rule, short (table columns, charts) and in a sentence.
RULE_NAMES = {ResultsRule.GREEDY: "Most votes first", ResultsRule.MES: "Equal shares"}
PUBLISHED_PHASES = (Phase.RESULTS, Phase.DELIVERY)
# The charts are HTML rows (a label wraps like any text, so it is never cut, at any width or zoom), each with an
# SVG bar stretched to the row: a bar's length is in the SVG's own units, BAR_SPACE for the longest.
BAR_SPACE = 1000


@dataclass(frozen=True)
class Line:
    """One counted proposal as the page shows it."""

    proposal_id: int
    title: str
    cost_pence: int
    votes: int
    funded: bool
    rank: int | None
    stage: str | None
    funded_by_other: bool
    running_total_pence: int | None = None

    @property
    def differs(self) -> bool:
        """The two rules disagree about this proposal."""
        return self.funded != self.funded_by_other


@dataclass(frozen=True)
class Fairness:
    """How widely the money reached the voters. ``None`` where nobody voted."""

    voters_with_funded: int
    share_with_funded: Fraction | None
    spend_per_voter_pence: int | None
    other_spend_per_voter_pence: int | None
    other_voters_with_funded: int | None = None
    other_share_with_funded: Fraction | None = None


@dataclass(frozen=True)
class Bar:
    """One row of the votes chart: the proposal's whole title, and its bar's length out of :data:`BAR_SPACE`."""

    width: int
    label: str
    value: str
    funded: bool
    funded_by_other: bool


@dataclass(frozen=True)
class MoneyBar:
    """One stacked bar of the money chart: the part spent, then the part left, out of :data:`BAR_SPACE`."""

    label: str
    spent_width: int
    left_width: int
    caption: str


@dataclass
class Chart:
    bars: list = field(default_factory=list)
    space: int = BAR_SPACE  # the SVG width a full bar fills


@dataclass
class ResultsPage:
    pot: Pot
    result: Result
    lines: list[Line]  # every counted proposal, most votes first (the side-by-side table and the votes chart)
    funded: list[Line]  # rank order, with running totals
    unfunded: list[Line]  # most votes first
    fairness: Fairness
    votes_chart: Chart
    money_chart: Chart

    @property
    def rule_name(self) -> str:
        return RULE_NAMES.get(self.result.rule, self.result.rule)

    @property
    def other_rule(self) -> str:
        return self.result.other_rule or (ResultsRule.GREEDY if self.result.rule == ResultsRule.MES
                                          else ResultsRule.MES)

    @property
    def other_rule_name(self) -> str:
        return RULE_NAMES.get(self.other_rule, self.other_rule)

    @property
    def equal_share_pence(self) -> int | None:
        """Each voter's share of the pot under equal shares, before the completion raises it."""
        return per_voter(self.pot.amount_pence, self.result.voters)

    @property
    def money_left_pence(self) -> int:
        return self.pot.amount_pence - self.result.total_spent_pence

    @property
    def other_left_pence(self) -> int | None:
        spent = self.result.other_spent_pence
        return None if spent is None else self.pot.amount_pence - spent

    @property
    def other_only(self) -> list[Line]:
        """Proposals the other rule would also have funded (ours did not), most votes first."""
        return [line for line in self.lines if line.funded_by_other and not line.funded]

    @property
    def ours_only(self) -> list[Line]:
        """Proposals the rule used funds and the other rule would not have funded."""
        return [line for line in self.lines if line.funded and not line.funded_by_other]

    def stage_count(self, stage: str) -> int:
        return sum(1 for line in self.funded if line.stage == stage)


def is_published(pot: Pot) -> bool:
    """Results are public once the budget is in its results or delivery phase."""
    return pot.budget.phase in PUBLISHED_PHASES


def stored_result(pot: Pot) -> Result | None:
    return db.session.scalar(select(Result).where(Result.pot_id == pot.id))


def result_and_count(pot: Pot) -> tuple[Result | None, PotCount | None]:
    """The pot's stored result and where its latest count stands (forum/budgeting/services/counting.py), in
    one query: the page shows "Counting the votes" while a count is queued or running."""
    row = db.session.execute(
        select(Result, PotCount).select_from(Pot)
        .outerjoin(Result, Result.pot_id == Pot.id).outerjoin(PotCount, PotCount.pot_id == Pot.id)
        .where(Pot.id == pot.id)
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)


def _lines(result: Result) -> list[Line]:
    """The result's lines with their proposals' titles and costs: one query."""
    query = (
        select(ResultLine.proposal_id, Proposal.title, Proposal.cost_pence, ResultLine.votes, ResultLine.funded,
               ResultLine.rank, ResultLine.stage, ResultLine.funded_by_other_rule)
        .join(Proposal, Proposal.id == ResultLine.proposal_id)
        .where(ResultLine.result_id == result.id)
    )
    lines = [Line(*row) for row in db.session.execute(query)]
    return sorted(lines, key=lambda line: (-line.votes, line.title.casefold(), line.proposal_id))


def _with_running_totals(funded: list[Line]) -> list[Line]:
    total, out = 0, []
    for line in sorted(funded, key=lambda line: line.rank or 0):
        total += line.cost_pence
        out.append(Line(**{**line.__dict__, "running_total_pence": total}))
    return out


def per_voter(pence: int | None, voters: int) -> int | None:
    """Pence per voter, rounded to the nearest penny (half up); None when nobody voted."""
    if pence is None or voters <= 0:
        return None
    return (2 * pence + voters) // (2 * voters)


def fairness(result: Result) -> Fairness:
    voters = result.voters
    return Fairness(
        voters_with_funded=result.voters_with_funded,
        share_with_funded=Fraction(result.voters_with_funded, voters) if voters else None,
        spend_per_voter_pence=per_voter(result.total_spent_pence, voters),
        other_spend_per_voter_pence=per_voter(result.other_spent_pence, voters),
        other_voters_with_funded=result.other_voters_with_funded,
        other_share_with_funded=(Fraction(result.other_voters_with_funded, voters)
                                 if voters and result.other_voters_with_funded is not None else None),
    )


def percent(share: Fraction | None) -> str:
    """A share as people read it: "75%", "88.9%"; a dash when there is none."""
    if share is None:
        return "–"
    tenths = round(share * 1000)
    whole, rest = divmod(tenths, 10)
    return f"{whole}%" if rest == 0 else f"{whole}.{rest}%"


def results_page(pot: Pot, result: Result | None = None) -> ResultsPage | None:
    """Everything the results page shows, or None while there is nothing to publish (voting not closed, or
    the pot not counted yet). ``result``: the stored result when the caller has read it already."""
    if not is_published(pot):
        return None
    result = result or stored_result(pot)
    if result is None:
        return None
    lines = _lines(result)
    funded = _with_running_totals([line for line in lines if line.funded])
    page = ResultsPage(pot, result, lines, funded, [line for line in lines if not line.funded], fairness(result),
                       votes_chart(lines), Chart())
    page.money_chart = money_chart(page)
    return page


def votes_chart(lines: list[Line]) -> Chart:
    """A horizontal bar per proposal, most votes first, as long as its share of the most votes."""
    most = max((line.votes for line in lines), default=0)
    return Chart([
        Bar(width=round(BAR_SPACE * line.votes / most) if most else 0, label=line.title, value=f"{line.votes:,}",
            funded=line.funded, funded_by_other=line.funded_by_other)
        for line in lines
    ])


def money_chart(page: ResultsPage) -> Chart:
    """A stacked bar per rule: the pot's money spent, then left."""
    amount = page.pot.amount_pence
    figures = [(f"{page.rule_name} (used)", page.result.total_spent_pence)]
    if page.result.other_spent_pence is not None:
        figures.append((page.other_rule_name, page.result.other_spent_pence))
    bars = []
    for label, spent in figures:
        spent_width = round(BAR_SPACE * spent / amount) if amount else 0
        bars.append(MoneyBar(label=label, spent_width=spent_width, left_width=BAR_SPACE - spent_width,
                             caption=f"{format_pence(spent)} spent, {format_pence(amount - spent)} left"))
    return Chart(bars)


def export_filename(pot: Pot) -> str:
    """An ASCII file name for the pot's pabulib download ("green-budget-2027-riverside.pb")."""
    words = re.sub(r"[^a-z0-9]+", "-", f"{pot.budget.slug} {pot.title}".lower()).strip("-")[:80].strip("-")
    return f"{words or 'budget'}-pot-{pot.id}.pb"


def check_countable(pot: Pot) -> None:
    """Results are counted (again) only while the budget is in its results phase: during voting they would
    be published early, and in delivery a recount could unfund a project being built."""
    if pot.budget.phase != Phase.RESULTS:
        raise ValidationFailed("Votes can only be counted again while the budget is in its results phase",
                               field="pot")


def pot_size(pot: Pot) -> tuple[int, int]:
    """The pot's number of ballots and of proposals (for a progress message)."""
    ballots = db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.pot_id == pot.id))
    proposals = db.session.scalar(select(func.count()).select_from(Proposal).where(Proposal.pot_id == pot.id))
    return ballots or 0, proposals or 0
