"""Moderation forms: flagging, decisions on items, thread actions, warnings and suspensions, the log filter."""
