"""Participatory budgeting (issue 4, in progress).

- :mod:`forum.budgeting.rules`: the computational core with no database and no Flask: the data model of an
  election, the rules that decide which projects a budget funds (greedy by votes and the Method of Equal Shares
  with Wieliczka's completion) and pabulib ``.pb`` reading and writing.
- :mod:`forum.budgeting.models`: areas, budgets with phases, pots, proposals, ballots and stored results.
- :mod:`forum.budgeting.services`: creating budgets, pots and proposals, feasibility review, computing results,
  and pabulib import/export; :mod:`forum.budgeting.cli` exposes the last two as ``flask budgets``.

The web pages (proposals, ballots, results) are not built yet.
"""
