"""Accounts: registration, signing in, password resets, roles, profiles and the admin's user list."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
