"""Budgeting pages: discussions (being built)."""
