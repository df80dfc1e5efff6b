"""Two app hosts behind nginx, sharing PostgreSQL and Redis (issue 14, "Scale out").

PostgreSQL only: a SQLite file cannot be shared by two machines (its locking needs one kernel, and a network
file system breaks it), so the forum supports several hosts on PostgreSQL alone.
"""
