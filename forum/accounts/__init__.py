"""Accounts: registration, signing in, password resets, roles and the admin's user list (URLs in ``routes``)."""
