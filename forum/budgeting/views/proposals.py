"""Budgeting pages: proposals (being built)."""
