"""The one check every budget staff action makes again on the server, whatever the view checked."""

from __future__ import annotations

from typing import Any

from forum.common.errors import PermissionDenied


def check_runs_budgets(user: Any, doing: str) -> None:
    """Refuse (403) anyone but a signed-in civil servant or admin; ``doing`` ends "Only ... can <doing>"."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "runs_budgets", False):
        raise PermissionDenied(f"Only civil servants and administrators can {doing}")
