"""Moderation (issue 5): flags, the review queue, pre-moderation, actions on content, warnings and
suspensions, the audit log and house rules. See docs/moderation.md for what was decided and why."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
