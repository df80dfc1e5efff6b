"""Notifications (issue 11): what happened that concerns you, on /notifications, in the header and by email.

Types are declared once in ``kinds.py``; ``services.notify`` writes one for one person in the caller's
transaction; new posts and comments fan out in a job (``tasks.fan_out``) that works out who may see them.
"""
