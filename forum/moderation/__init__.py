"""Moderation (issue 5): flags, the review queue, pre-moderation, actions on content, warnings and
suspensions, the audit log and house rules. See docs/moderation.md for what was decided and why.

Two blueprints: ``moderation`` (/moderation, moderators only) and ``community`` (/community: the house rules,
flagging, and a person's own flags and warnings).
"""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
community_bp = Blueprint("community", __name__, url_prefix="/community")
