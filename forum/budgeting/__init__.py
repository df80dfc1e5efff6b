"""Participatory budgeting.

For now this package holds only the computational core, :mod:`forum.budgeting.rules`: the data model of an
election, the rules that decide which projects a budget funds (greedy by votes and the Method of Equal Shares
with Wieliczka's completion) and pabulib ``.pb`` reading and writing. It has no database and no Flask; the
models, views and commands of issue 4 will build on it.
"""
