"""A person's own data across the forum (issue 11): download everything they wrote, or delete their account.

Both gather rows from every domain (threads, groups, moderation, budgeting), so this package sits above them all
in the import layers; the account's own columns are changed by ``forum.accounts.services``.
"""
