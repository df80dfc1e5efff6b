"""Ballot forms: a voter's ballot (built across round trips without JavaScript) and staff's paper ballot.

Syntax only: whole numbers of points, a reference that is present. Which proposals may be chosen, the money
and the points allowance are the voting service's business (forum.budgeting.services.voting).

An approval ballot keeps the selection being built in the page itself, as hidden ``chosen`` inputs sent back
with every Add and Remove button, so nothing is stored until the voter casts it. A cumulative ballot has one
points input per proposal (``points_<id>``). A ranked (ordinal) ballot has one select of the proposals per rank
(``rank_1`` "1st choice", ``rank_2``, ...), as many as the budget's most ranks, so it works without JavaScript;
the voting service refuses a proposal chosen twice, a gap or too few ranks by the rank it is about. A choose-1
ballot is one ``choices`` radio group, which the page draws as GOV.UK radios with each proposal's cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextInput
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Field, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import ValidationError

from forum.budgeting.forms.fields import checkboxes, legend
from forum.budgeting.models import BallotKind, Proposal
from forum.budgeting.services.voting import REFERENCE_MAX, rank_field, rank_label
from forum.common.converters import parse_id
from forum.common.forms import Form, govuk
from forum.common.money import format_pence

MAX_POINTS_TYPED = 1_000_000


def points_field_name(proposal_id: int) -> str:
    return f"points_{proposal_id}"


def button_id(proposal_id: int) -> str:
    """The id of a proposal's Add or Remove button on the voter's ballot (a refusal's summary links to it)."""
    return f"ballot-button-{proposal_id}"


def _whole_number(form: Form, field: Field) -> None:
    raw = (field.data or "").strip()
    if not raw:
        return
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationError(f"Enter the points for {field.proposal_title} as a whole number, like 3")
    if int(raw) > MAX_POINTS_TYPED:
        raise ValidationError(f"Enter fewer points for {field.proposal_title}")


class _PointsForm(Form):
    """A form with a points input per proposal (added by :func:`_with_points`)."""

    choices = HiddenField()  # holds refusals about the ballot as a whole; the page links them to the list

    def points(self) -> dict[int, int]:
        """Proposal id -> points for every input with a number above nought (blank or 0: not chosen)."""
        found = {}
        for name, field in self._fields.items():
            raw = (field.data or "").strip()
            # isascii: str.isdigit() also accepts "²", which int() refuses (a 500 before _whole_number said so).
            if name.startswith("points_") and raw.isascii() and raw.isdigit():
                value = int(raw)
                if value > 0:
                    found[int(name.removeprefix("points_"))] = value
        return found


#: A points input: three characters wide, numbers only.
POINTS_INPUT = {"classes": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": False}


def _voter_points(proposal: Proposal) -> dict[str, Any]:
    """On the voter's ballot the label is short ("Points", the proposal named for screen readers), and the
    script finds the input by its ``data-ballot-points``."""
    label = Markup('Points<span class="govuk-visually-hidden"> for {}</span>').format(proposal.title)
    return govuk(None, label={"html": label}, attributes={"data-ballot-points": proposal.id}, **POINTS_INPUT)


def _with_points(base: type[_PointsForm], proposals: Iterable[Proposal], voter: bool = False) -> type[_PointsForm]:
    attributes = {}
    for proposal in proposals:
        field = StringField(f"Points for {proposal.title}", validators=[_whole_number], widget=GovTextInput(),
                            render_kw=_voter_points(proposal) if voter else govuk(None, **POINTS_INPUT))
        attributes[points_field_name(proposal.id)] = field
    form_class = type(base.__name__, (base,), attributes)
    return form_class


def _titles(form: Form, proposals: Iterable[Proposal]) -> None:
    for proposal in proposals:
        field = form._fields.get(points_field_name(proposal.id))
        if field is not None:
            field.proposal_title = proposal.title


def _ranking(form: Form) -> list[int | None]:
    """A ranked ballot's ranks in order: the proposal id chosen for each, None for a rank left empty."""
    ranks: list[int | None] = []
    while (field := form._fields.get(rank_field(len(ranks) + 1))) is not None:
        ranks.append(parse_id(field.data))
    return ranks


class BallotForm(_PointsForm):
    """A voter's ballot: only the CSRF token and the error holder for approval; points inputs for cumulative;
    rank selects for ordinal (:func:`_with_ranks`); the radio group for choose-1 (:class:`ChooseOneForm`)."""

    def ranking(self) -> list[int | None]:
        return _ranking(self)


class ChooseOneForm(BallotForm):
    """A choose-1 ballot: ``choices`` holds the one proposal's id (the page draws the radios, with costs)."""

    choices = StringField()

    def chosen(self) -> list[int]:
        proposal_id = parse_id(self.choices.data)
        return [] if proposal_id is None else [proposal_id]


NO_CHOICE = ""


def _on_the_list(form: Form, field: Field) -> None:
    if field.data and field.data not in {value for value, _label in field.choices}:
        raise ValidationError(f"Choose your {field.label.text} from the list of proposals")


def _with_ranks(base: type[Form], proposals: Iterable[Proposal], ranks: int) -> type[Form]:
    """``base`` with one select of the proposals (by title, with their cost) for each of ``ranks`` ranks."""
    by_title = sorted(proposals, key=lambda p: (p.title, p.id))
    options = [(NO_CHOICE, "Choose a proposal")] + [(str(p.id), f"{p.title} ({format_pence(p.cost_pence)})")
                                                    for p in by_title]
    attributes = {
        rank_field(n): SelectField(rank_label(n), choices=options, validate_choice=False, default=NO_CHOICE,
                                   validators=[_on_the_list], widget=GovSelect(),
                                   render_kw=govuk(attributes={"data-ballot-rank": n}))
        for n in range(1, ranks + 1)
    }
    return type(base.__name__, (base,), attributes)


def ballot_form(kind: str, proposals: list[Proposal], formdata: MultiDict | None = None,
                points: dict[int, int] | None = None, ranks: int = 0) -> BallotForm:
    """The ballot form for a pot of ``kind``; ``points`` (a stored ballot: proposal id -> points, or -> rank on a
    ranked ballot) fills the inputs when the page is first shown; ``ranks`` is how many ranks a ranked ballot
    offers."""
    form_class: type[BallotForm] = BallotForm
    data: dict[str, str] = {}
    if kind == BallotKind.CUMULATIVE:
        form_class = _with_points(BallotForm, proposals, voter=True)
        data = {points_field_name(pid): str(value) for pid, value in (points or {}).items()}
    elif kind == BallotKind.ORDINAL:
        form_class = _with_ranks(BallotForm, proposals, ranks)
        data = {rank_field(rank): str(pid) for pid, rank in (points or {}).items() if rank <= ranks}
    elif kind == BallotKind.CHOOSE_ONE:
        form_class = ChooseOneForm
        data = {"choices": str(next(iter(points)))} if points else {}
    form = form_class(formdata=None, data=data) if formdata is None else form_class(formdata=formdata)
    _titles(form, proposals)
    return form


def approval_selection(formdata: MultiDict) -> list[int]:
    """The ``chosen`` proposal ids carried by the page, in order, once each; what is not an id is dropped."""
    seen: list[int] = []
    for raw in formdata.getlist("chosen"):
        proposal_id = parse_id(raw)
        if proposal_id is not None and proposal_id not in seen:
            seen.append(proposal_id)
    return seen


def _reference_field() -> StringField:
    return StringField(
        "Reference number",
        description="The number printed on the paper ballot, for example RV-0042. Each paper can be entered once.",
        validators=[_reference_present],
        widget=GovTextInput(),
        render_kw=govuk(classes="govuk-input--width-10", spellcheck=False, autocomplete="off"),
    )


def _reference_present(form: Form, field: Field) -> None:
    if not field.data:
        raise ValidationError("Enter the reference number printed on the paper ballot")
    if len(field.data) > REFERENCE_MAX:
        raise ValidationError(f"The reference must be {REFERENCE_MAX} characters or fewer")


class PaperPointsForm(_PointsForm):
    reference = _reference_field()


class PaperApprovalForm(Form):
    reference = _reference_field()
    choices = checkboxes("Proposals marked on the paper", params={"classes": "govuk-checkboxes--small"}, coerce=int,
                         description="Tick every proposal the voter marked.")

    def points(self) -> list[int] | dict[int, int]:
        return {pid: 1 for pid in self.choices.data or []}


def _one_marked(form: Form, field: Field) -> None:
    if field.data is None:
        raise ValidationError("Choose the proposal marked on the paper")


class PaperChooseOneForm(Form):
    reference = _reference_field()
    choices = RadioField("Proposal marked on the paper", widget=GovRadioInput(), coerce=int, validate_choice=False,
                         validators=[_one_marked], render_kw=legend("Proposal marked on the paper",
                                                                    classes="govuk-radios--small"))

    def points(self) -> list[int] | dict[int, int]:
        return [] if self.choices.data is None else [self.choices.data]


class PaperRankedForm(Form):
    """A ranked paper ballot: the reference, then one select per rank (added by :func:`_with_ranks`)."""

    reference = _reference_field()
    choices = HiddenField()  # holds refusals about the ballot as a whole

    def points(self) -> list[int | None]:
        return _ranking(self)


PaperForm = PaperApprovalForm | PaperPointsForm | PaperChooseOneForm | PaperRankedForm


def paper_ballot_form(kind: str, proposals: list[Proposal], ranks: int = 0) -> PaperForm:
    """Staff's form for one paper ballot: a reference, then checkboxes (approval), points (cumulative), one
    select per rank (ordinal, ``ranks`` of them) or radios (choose-1)."""
    if kind == BallotKind.CUMULATIVE:
        form = _with_points(PaperPointsForm, proposals)()
        _titles(form, proposals)
        return form
    if kind == BallotKind.ORDINAL:
        return _with_ranks(PaperRankedForm, proposals, ranks)()
    labels = [(p.id, f"{p.title} ({format_pence(p.cost_pence)})") for p in proposals]
    chosen = PaperChooseOneForm() if kind == BallotKind.CHOOSE_ONE else PaperApprovalForm()
    chosen.choices.choices = labels
    return chosen
