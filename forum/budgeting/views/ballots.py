"""Budgeting pages: ballots (being built)."""
