"""Moderation (issue 5): flags, the review queue, pre-moderation, actions on content, warnings and
suspensions, the audit log and house rules. See docs/moderation.md for what was decided and why.

Its URLs (the ``moderation`` and ``community`` blueprints) are listed in ``forum.moderation.routes``.
"""
