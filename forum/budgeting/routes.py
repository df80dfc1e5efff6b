"""Every URL the budgeting package serves, in one table, and what else it adds to the app.

One blueprint, ``budgeting``, under /budgets. ``create_app`` registers it and calls ``register_links`` (the thread
pages then show which proposals a thread discusses, without threads importing budgeting).
"""

from __future__ import annotations

from flask import Blueprint

from forum.budgeting.models import PHASE_LABELS, Phase, ProposalStatus
from forum.budgeting.views import ballots, budgets, delivery, discussions, proposals, results, verification
from forum.threads import links

bp = Blueprint("budgeting", __name__, url_prefix="/budgets")

GET_POST = ["GET", "POST"]
POST = ["POST"]

# Budgets (views/budgets.py)
bp.add_url_rule("/", view_func=budgets.index)
bp.add_url_rule("/new", view_func=budgets.new, methods=GET_POST)
bp.add_url_rule("/<slug>", view_func=budgets.show)
bp.add_url_rule("/<slug>/edit", view_func=budgets.edit, methods=GET_POST)
bp.add_url_rule("/<slug>/pots/new", view_func=budgets.new_pot, methods=GET_POST)
bp.add_url_rule("/<slug>/phase", view_func=budgets.move_phase, methods=GET_POST)

# Proposals (views/proposals.py) and their delivery updates (views/delivery.py)
bp.add_url_rule("/<slug>/proposals", view_func=proposals.proposals)
bp.add_url_rule("/<slug>/proposals/new", view_func=proposals.new_proposal, methods=GET_POST)
bp.add_url_rule("/proposals/<id:proposal_id>", view_func=proposals.proposal)
bp.add_url_rule("/proposals/<id:proposal_id>/edit", view_func=proposals.edit_proposal, methods=GET_POST)
bp.add_url_rule("/proposals/<id:proposal_id>/withdraw", view_func=proposals.withdraw_proposal, methods=GET_POST)
bp.add_url_rule("/proposals/<id:proposal_id>/review", view_func=proposals.review_proposal, methods=GET_POST)
bp.add_url_rule("/proposals/<id:proposal_id>/updates/new", view_func=delivery.new_delivery_update, methods=GET_POST)

# Discussions of proposals (views/discussions.py)
bp.add_url_rule("/proposals/<id:proposal_id>/discuss", view_func=discussions.discuss_proposal, methods=GET_POST)
bp.add_url_rule("/proposals/<id:proposal_id>/threads/link", view_func=discussions.link_thread, methods=GET_POST)
bp.add_url_rule("/proposals/<id:proposal_id>/threads/<id:thread_id>/unlink", view_func=discussions.unlink_thread,
                methods=POST)

# Ballots (views/ballots.py)
bp.add_url_rule("/pots/<id:pot_id>/ballot", view_func=ballots.ballot, methods=GET_POST)
bp.add_url_rule("/pots/<id:pot_id>/ballot/confirmation", view_func=ballots.ballot_confirmation)
bp.add_url_rule("/pots/<id:pot_id>/paper-ballots", view_func=ballots.paper_ballots)
bp.add_url_rule("/pots/<id:pot_id>/paper-ballots/new", view_func=ballots.new_paper_ballot, methods=GET_POST)

# Results (views/results.py)
bp.add_url_rule("/pots/<id:pot_id>/results", view_func=results.results)
bp.add_url_rule("/pots/<id:pot_id>/results.pb", view_func=results.results_export)
bp.add_url_rule("/pots/<id:pot_id>/results/count.json", view_func=results.count_status)
bp.add_url_rule("/pots/<id:pot_id>/count", view_func=results.count_pot, methods=GET_POST)

# Who may vote (views/verification.py)
bp.add_url_rule("/areas", view_func=verification.areas)
bp.add_url_rule("/areas/<slug>/residents", view_func=verification.verify_residents, methods=GET_POST)
bp.add_url_rule("/areas/<slug>/residents/<id:verification_id>/revoke", view_func=verification.revoke_verification,
                methods=GET_POST)
bp.add_url_rule("/areas/<slug>/codes", view_func=verification.verification_codes, methods=GET_POST)
bp.add_url_rule("/verify", view_func=verification.enter_code, methods=GET_POST)

# What every budgeting template may use: the phases (compare ``budget.phase == Phase.VOTING``) and the labels
# people read for phases and proposal statuses.
bp.add_app_template_global(Phase, "Phase")
bp.add_app_template_global(PHASE_LABELS, "PHASE_LABELS")
bp.add_app_template_global(ProposalStatus.LABELS, "STATUS_LABELS")


def register_links() -> None:
    """Tell the thread pages and lists which proposals a thread discusses (``forum.threads.links``)."""
    links.register(discussions.proposal_links)
