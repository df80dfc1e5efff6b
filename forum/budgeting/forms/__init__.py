"""Budgeting forms: syntax only (presence, length, numbers); the services check every rule again."""
