"""Creating areas, budgets, pots and proposals, with field errors for what a form cannot check.

Nothing here commits: each function adds and flushes (so the new rows have ids), and the request, command or
job that called it commits once at its edge (:mod:`forum.common.transaction`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.audit import services as audit
from forum.audit.models import Action
from forum.budgeting import signals
from forum.budgeting.models import (
    BEFORE_VOTING,
    Area,
    BallotKind,
    Budget,
    Eligibility,
    Phase,
    Pot,
    Proposal,
    ProposalStatus,
    ResultsRule,
)
from forum.budgeting.services.staff import check_runs_budgets
from forum.common import markup
from forum.common.converters import parse_id
from forum.common.errors import ValidationFailed
from forum.common.money import parse_pence
from forum.common.text import normalise_space, slugify
from forum.extensions import db

Money = int | str

#: The most money any amount may be: £1,000,000,000,000. The columns are 64-bit (about 9.2e18 pence); this
#: leaves room for sums over many thousands of proposals, and refuses a number too big to store (a 500 before).
MAX_PENCE = 10**14


def money_in_pence(value: Money, field: str, what: str) -> int:
    """Pence from a number of pence (int) or money as a person typed it (str); above zero, else a field error."""
    if isinstance(value, bool):
        raise ValidationFailed(f"Enter {what} as an amount of money", field=field)
    if isinstance(value, int):
        pence = value
    else:
        try:
            pence = parse_pence(value)
        except ValueError:
            raise ValidationFailed(f"Enter {what} in pounds, like £12,500 or 12500.50", field=field) from None
    if pence <= 0:
        raise ValidationFailed(f"{what.capitalize()} must be more than £0", field=field)
    if pence > MAX_PENCE:
        raise ValidationFailed(f"{what.capitalize()} must be £{MAX_PENCE // 100:,} or less", field=field)
    return pence


def _title(text: str, field: str = "title", limit: int = 200) -> str:
    title = normalise_space(text)
    if not title:
        raise ValidationFailed("Enter a title" if field == "title" else "Enter a name", field=field)
    if len(title) > limit:
        raise ValidationFailed(f"Keep it to {limit} characters or fewer", field=field)
    return title


def unique_slug(model: type[Area] | type[Budget], text: str) -> str:
    """A slug from ``text`` not yet used by ``model``: "green-budget", then "green-budget-2", ..."""
    base = slugify(text, max_length=70)
    taken = set(db.session.scalars(select(model.slug).where(model.slug.like(f"{base}%"))))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_area(name: str, parent: Area | None = None) -> Area:
    area = Area(name=_title(name, "name", 120), parent=parent)
    area.slug = unique_slug(Area, area.name)
    db.session.add(area)
    db.session.flush()
    return area


def _check_settings(settings: dict[str, Any], budget: Budget | None = None) -> None:
    """Refuse settings that do not make a ballot (``budget``: the one they change, whose other settings stay)."""
    choices = {"phase": tuple(Phase), "ballot_kind": BallotKind.ALL, "eligibility": Eligibility.ALL,
               "results_rule": ResultsRule.ALL}
    for field, allowed in choices.items():
        if field in settings and settings[field] not in allowed:
            raise ValidationFailed(f"Choose one of: {', '.join(allowed)}", field=field)
    for field in ("min_projects", "max_projects", "points_per_voter"):
        value = settings.get(field)
        if value is not None and (not isinstance(value, int) or value < 1):
            raise ValidationFailed("Enter a whole number of 1 or more", field=field)
    low, high = settings.get("min_projects"), settings.get("max_projects")
    if low is not None and high is not None and low > high:
        raise ValidationFailed("The minimum number of projects must not be above the maximum", field="min_projects")
    if settings.get("min_spend_pence") is not None:
        settings["min_spend_pence"] = money_in_pence(settings["min_spend_pence"], "min_spend_pence",
                                                     "the minimum spend")
    if settings.get("ballot_kind") == BallotKind.CUMULATIVE and not settings.get("points_per_voter"):
        raise ValidationFailed("Enter how many points each voter spreads", field="points_per_voter")
    _check_ranks(settings, budget)


def _check_ranks(settings: dict[str, Any], budget: Budget | None) -> None:
    """A ranked ballot offers a fixed number of ranks (pabulib's ``max_length``; Kraków ranks 3): its most
    projects. Checked here as well as on the settings form, so no caller makes a ranked budget without them."""
    if "ballot_kind" not in settings and "max_projects" not in settings:
        return
    kind = settings.get("ballot_kind", budget.ballot_kind if budget else None)
    ranks = settings["max_projects"] if "max_projects" in settings else budget.max_projects if budget else None
    if kind == BallotKind.ORDINAL and ranks is None:
        raise ValidationFailed("Enter how many projects each voter ranks, like 3", field="max_projects")


def create_budget(title: str, description: str = "", created_by: User | None = None, **settings: Any) -> Budget:
    """A budget. ``settings`` are Budget columns: phase, phase dates, ballot_kind, results_rule, ..."""
    title = _title(title)
    _check_settings(settings)
    budget = Budget(title=title, description_source=description, description_html=markup.render(description),
                    created_by=created_by, **settings)
    budget.slug = unique_slug(Budget, title)
    db.session.add(budget)
    db.session.flush()
    if created_by is not None:
        audit.record(created_by, Action.CREATE_BUDGET, item_type="budget", item_id=budget.id, summary=title)
    return budget


def create_pot(budget: Budget, area: Area, title: str, amount: Money) -> Pot:
    """A pot of money for one area; ``amount`` in pence (int) or as typed ("£12,500")."""
    pot = Pot(budget=budget, area=area, title=_title(title),
              amount_pence=money_in_pence(amount, "amount", "the amount"))
    db.session.add(pot)
    db.session.flush()
    return pot


def check_can_add_pot(budget: Budget) -> None:
    """Pots are added before voting opens (a pot added later would have no proposals and no ballots)."""
    if budget.phase not in BEFORE_VOTING:
        raise ValidationFailed("Pots can only be added before voting opens", field="pot_title")


def add_pot(budget: Budget, user: User, area_id: str | None, new_area: str, title: str, amount: Money) -> Pot:
    """Staff add a pot to a budget that has not opened voting yet, for an area chosen or typed (:func:`pot_area`)."""
    check_runs_budgets(user, "add a pot")
    check_can_add_pot(budget)
    return create_pot(budget, pot_area(area_id, new_area), title, amount)


def create_proposal(pot: Pot, title: str, cost: Money, description: str = "", author: User | None = None) -> Proposal:
    """A proposal for a pot; ``cost`` in pence (int) or as typed. A cost above the pot is a field error."""
    pence = money_in_pence(cost, "cost", "the cost")
    if pence > pot.amount_pence:
        raise ValidationFailed("The cost must not be more than the money in the pot", field="cost")
    proposal = Proposal(pot=pot, title=_title(title), cost_pence=pence, author=author,
                        description_source=description, description_html=markup.render(description),
                        status=ProposalStatus.PROPOSED)
    db.session.add(proposal)
    db.session.flush()
    signals.proposal_changed.send(proposal)
    return proposal


#: Settings that decide how ballots are cast and counted: fixed once voting opens.
VOTING_SETTINGS = ("ballot_kind", "results_rule", "eligibility", "min_projects", "max_projects",
                   "min_spend_pence", "points_per_voter")


def update_budget(budget: Budget, user: User, title: str, description: str, **settings: Any) -> Budget:
    """Change a budget's title, description, phase dates and (before voting opens) its voting settings."""
    check_runs_budgets(user, "change a budget")
    title = _title(title)
    _check_settings(settings, budget)  # also turns a typed minimum spend into pence
    changing = [name for name in VOTING_SETTINGS if name in settings and settings[name] != getattr(budget, name)]
    if changing and not voting_settings_open(budget):
        raise ValidationFailed("How people vote and how results are worked out cannot change once voting opens",
                               field=changing[0])
    if settings.get("ballot_kind") == BallotKind.APPROVAL:
        settings["points_per_voter"] = None
    budget.title = title
    budget.description_source = description
    budget.description_html = markup.render(description)
    for name, value in settings.items():
        setattr(budget, name, value)
    db.session.flush()
    return budget


def voting_settings_open(budget: Budget) -> bool:
    """Whether how people vote and how results are worked out may still change (until voting opens)."""
    return budget.phase in BEFORE_VOTING


def area_by_name(name: str) -> Area:
    """The area called ``name`` (ignoring case and spacing), made if there is none."""
    wanted = normalise_space(name)
    area = db.session.scalar(select(Area).where(func.lower(Area.name) == wanted.lower()))
    return area or create_area(wanted)


def areas_by_name() -> list[Area]:
    """Every area, by name (the list staff choose a pot's area from)."""
    return list(db.session.scalars(select(Area).order_by(Area.name)))


def pot_area(area_id: str | None, new_area: str = "") -> Area:
    """The area a pot is for: a new one typed (made if no area has that name), else the one chosen by id."""
    if new_area:
        return area_by_name(new_area)
    found = parse_id(area_id)
    area = db.session.get(Area, found) if found else None
    if area is None:
        raise ValidationFailed("Choose an area, or type the name of a new one", field="area")
    return area
