"""Participatory-budgeting services: they validate, own the transactions and raise DomainError subclasses.

``budgets`` creates areas, budgets, pots and proposals; ``proposals`` reviews them and moves budgets between
phases; ``ballots`` reads a pot's ballots for a count; ``results`` computes and stores results; ``exchange``
imports and exports pabulib files.
"""
