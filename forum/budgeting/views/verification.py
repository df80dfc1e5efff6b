"""Budgeting pages: verification (being built)."""
