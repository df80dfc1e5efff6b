"""The count of a place: the list of counted areas, an area's page, staff's import, and the count as open data."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.accounts.models import Role
from forum.budgeting.models import Area
from forum.budgeting.services import discussions as proposal_discussions
from forum.common.converters import parse_id
from forum.common.decorators import form_checks_csrf, role_required
from forum.common.money import format_pence, format_share
from forum.common.pagination import Page, page_from_request
from forum.extensions import db
from forum.places import count, discussions, importing, purposes
from forum.places.forms import ImportForm
from forum.places.models import BodyKind, SpendingLine, financial_year
from forum.threads import links
from forum.threads.discussion_forms import DiscussForm, LinkThreadForm
from forum.threads.views import posting_limit

LINES_PER_PAGE = 50
LINE_MARKER = "Public spending"
staff_required = role_required(*Role.BUDGET_STAFF)


def _area_or_404(slug: str) -> Area:
    area = db.session.scalar(select(Area).where(Area.slug == slug))
    if area is None:
        abort(404)
    return area


def _year_from_request() -> int | None:
    raw = request.args.get("year")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        abort(400, "The year must be written like 2025.")
    return int(raw)


def index():
    """Every area with a count: its latest year's total and per head."""
    return render_template("places/index.html", areas=count.counted_areas(),
                           staff=current_user.is_authenticated and current_user.runs_budgets)


def area(slug: str):
    """One area's count at a glance, its lines a page at a time, and the pots its residents decide."""
    place = _area_or_404(slug)
    year = _year_from_request()
    counted = count.count_for(place, year)
    if counted is None:
        return render_template("places/area.html", area=place, counted=None, lines=None)
    if year is not None and year != counted.year:
        abort(404)
    number = page_from_request()
    items, total = count.lines_page(place, counted.year, number, LINES_PER_PAGE)
    lines = Page(items, number, LINES_PER_PAGE, total)
    if number > lines.pages:
        abort(404)

    def page_url(n: int) -> str:
        return url_for("places.area", slug=place.slug, year=year, page=n if n > 1 else None, _anchor="lines")

    return render_template("places/area.html", area=place, counted=counted, lines=lines,
                           pagination=lines.govuk_params(page_url), purposes=purposes.PURPOSES,
                           body_labels=BodyKind.LABELS,
                           line_threads=discussions.threads_for_lines([line.id for line in items], current_user))


@form_checks_csrf
@staff_required
def import_count():
    """Staff load a spending or population CSV: checked whole, every problem listed, nothing loaded if any."""
    form = ImportForm()
    problems: list[importing.Problem] = []
    if form.validate_on_submit():
        parsed = importing.parse(form.file.data.read())
        if parsed.ok:
            loaded = importing.load(parsed, current_user)
            flash(f"Loaded {loaded.rows:,} {loaded.kind} rows for {', '.join(loaded.places)}.", "success")
            first = parsed.rows[0]
            return redirect(url_for("places.area", slug=first["area"].slug, year=first["year"]))
        problems = parsed.problems
        noun = "problem" if len(problems) == 1 else "problems"
        form.file.errors = [f"The file has {len(problems):,} {noun}, listed below: nothing was loaded. Correct "
                            "them and choose the file again"]
    return render_template("places/import.html", form=form, problems=problems, columns=importing.COLUMNS,
                           body_kinds=BodyKind.LABELS, divisions=purposes.DIVISIONS,
                           areas=db.session.scalars(select(Area).order_by(Area.name)).all())


def _pounds(pence: int) -> str:
    pounds, rest = divmod(pence, 100)
    return f"{pounds}.{rest:02d}"


def spending_csv(slug: str) -> Response:
    """Every line of the area's count, in the import's own format (it loads again as it is)."""
    place = _area_or_404(slug)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(importing.COLUMNS[importing.SPENDING]["required"] + importing.COLUMNS[importing.SPENDING]
                    ["optional"])
    for line in count.all_lines(place):
        writer.writerow([place.slug, financial_year(line.year), line.body_kind, line.body, line.purpose,
                         line.description, _pounds(line.amount_pence), line.source, line.focus or "",
                         "yes" if line.illustrative else "no"])
    return _download(out.getvalue(), f"{place.slug}-spending.csv", "text/csv")


def population_csv(slug: str) -> Response:
    place = _area_or_404(slug)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(importing.COLUMNS[importing.POPULATION]["required"])
    for row in count.populations(place):
        writer.writerow([place.slug, financial_year(row.year), row.population, row.source])
    return _download(out.getvalue(), f"{place.slug}-population.csv", "text/csv")


def count_json(slug: str) -> Response:
    """The whole count of the area as JSON: lines (amounts in pence) and populations."""
    place = _area_or_404(slug)
    document = {
        "area": {"name": place.name, "slug": place.slug},
        "money": "amounts are whole pence; a year is a UK financial year, April to March",
        "lines": [{"year": financial_year(line.year), "body_type": line.body_kind, "body": line.body,
                   "purpose": line.purpose, "purpose_name": purposes.PURPOSES[line.purpose].name,
                   "description": line.description, "amount_pence": line.amount_pence, "focus": line.focus,
                   "source": line.source, "illustrative": line.illustrative} for line in count.all_lines(place)],
        "populations": [{"year": financial_year(row.year), "population": row.population, "source": row.source}
                        for row in count.populations(place)],
    }
    return _download(json.dumps(document, indent=1, ensure_ascii=False), f"{place.slug}-count.json",
                     "application/json")


def _download(body: str, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Deliberation tied to money: discussing a line of the count


def _line_or_404(line_id: int) -> SpendingLine:
    line = discussions.line_or_none(line_id)
    if line is None:
        abort(404)
    return line


def _line_url(line: SpendingLine) -> str:
    return url_for("places.area", slug=line.area.slug, year=line.year, _anchor=f"line-{line.id}")


@form_checks_csrf
@posting_limit
@login_required
def discuss_line(line_id: int):
    """Start a thread about a line in a group the person can post in, linked to the line."""
    line = _line_or_404(line_id)
    groups = proposal_discussions.postable_groups(current_user)
    form = DiscussForm()
    form.offer(groups)
    if request.method == "GET":
        form.title.data = discussions.discussion_title(line)
    elif form.validate_on_submit():
        thread = discussions.start_discussion(line, current_user, parse_id(form.group.data), form.title.data,
                                              form.body.data, form.tags.data or "")
        flash(f"Your discussion of “{line.description}” has started.", "success")
        return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))
    if request.method == "POST" and not parse_id(form.group.data) and not form.group.errors:
        form.add_error("group", proposal_discussions.CHOOSE_A_GROUP)
    return render_template("places/discuss.html", form=form, line=line, groups=groups, line_url=_line_url(line),
                           purpose=discussions.purpose_name(line))


@form_checks_csrf
@login_required
def link_line_thread(line_id: int):
    """Link an existing thread to a line: its author, or budget staff (any thread they can read)."""
    line = _line_or_404(line_id)
    form = LinkThreadForm()
    if form.validate_on_submit():
        thread = discussions.link_thread(line, current_user, form.thread.data or "")
        flash(f"“{thread.title}” is now linked to “{line.description}”.", "success")
        return redirect(_line_url(line))
    return render_template("places/link.html", form=form, line=line, line_url=_line_url(line))


def line_links(thread_ids: list[int]) -> dict[int, list[links.ThreadLink]]:
    """The thread page's provider: the figures of each line a thread discusses."""
    found: dict[int, list[links.ThreadLink]] = {}
    for thread_id, line, total in discussions.lines_for_threads(thread_ids):
        facts = (
            ("Spent by", f"{line.body} ({BodyKind.LABELS.get(line.body_kind, line.body_kind)})"),
            ("On", f"{discussions.purpose_name(line)} ({line.purpose})"),
            ("Amount", format_pence(line.amount_pence)),
            ("Share", f"{format_share(count.share_bp(line.amount_pence, total))} of all public spending in "
                      f"{line.area.name} in {financial_year(line.year)}"),
        )
        found.setdefault(thread_id, []).append(links.ThreadLink(
            kind="spending line", title=f"{line.description}, {line.area.name} {financial_year(line.year)}",
            url=_line_url(line), facts=facts, marker=LINE_MARKER))
    return found
