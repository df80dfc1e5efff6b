"""Moderation services: who moderates what (scope), the items (items), flags, the queue, actions on
content (actions, thread_actions), warnings and suspensions (sanctions), and reading the audit log."""
