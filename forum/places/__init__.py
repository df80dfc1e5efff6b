"""Total Place: the count of public spending in a place, beside what residents decide there (issue 15)."""
