"""Participatory budgeting: residents propose, deliberate, vote and decide how an area's money is spent.

- :mod:`forum.budgeting.rules`: the computational core with no database and no Flask: the data model of an
  election, the rules that decide which projects a budget funds (greedy by votes and the Method of Equal Shares
  with Wieliczka's completion) and pabulib ``.pb`` reading and writing.
- :mod:`forum.budgeting.models`: areas, budgets with phases, pots, proposals, ballots, results, verification,
  delivery updates and the links between proposals and threads.
- :mod:`forum.budgeting.services`: every rule that needs the database; they change and flush, and the request,
  command or job that calls them commits (:mod:`forum.common.transaction`).
- :mod:`forum.budgeting.forms` and :mod:`forum.budgeting.views`: the pages, under ``/budgets``; every URL is
  in :mod:`forum.budgeting.routes`.
- :mod:`forum.budgeting.cli`: ``flask budgets import|export|count``.
"""
