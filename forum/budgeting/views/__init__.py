"""The budgeting pages, one module of plain view functions per part of the cycle; their URLs are in
:mod:`forum.budgeting.routes`."""
