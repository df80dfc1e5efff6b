"""The audit log: who did what to which item, when and why (issue 5).

Every moderation and admin action writes one entry through ``services.record`` in the transaction that makes
the change, so an action and its record land together or not at all. This domain sits just above ``common`` so
that accounts and groups record their admin actions too; the pages that browse it live in ``forum.moderation``.
"""
