"""Budgeting pages: results (being built)."""
