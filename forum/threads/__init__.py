"""Threads, their posts (with every revision kept), the short comments beneath posts, and tag pages.

Every URL this package serves is in ``routes.py``."""
