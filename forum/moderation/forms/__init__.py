"""Moderation forms: flagging, decisions on items, thread actions, warnings and suspensions.

They check syntax only (presence, length, a choice from the list); the services check every rule again.
"""
