"""Budgeting pages: delivery (being built)."""
