"""Money as people write it ("£12,500", "12500.50") and as the database keeps it: whole pence."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_MONEY = re.compile(r"^-?\d+(?:\.\d{1,2})?$")


def parse_pence(text: str) -> int:
    """Whole pence from what a person typed: a pound sign, commas and spaces are allowed; at most two decimals.

    Raises ``ValueError`` with a message fit to show when the text is not an amount of money.
    """
    cleaned = re.sub(r"[\s,£]", "", str(text or ""))
    if cleaned.startswith("-£"):
        cleaned = "-" + cleaned[2:]
    if not cleaned:
        raise ValueError("Enter an amount of money")
    if not _MONEY.match(cleaned):
        raise ValueError("Enter an amount of money in pounds, like £12,500 or 12500.50")
    try:
        return int(Decimal(cleaned) * 100)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise ValueError("Enter an amount of money in pounds, like £12,500 or 12500.50") from None


def format_pence(pence: int) -> str:
    """Pence as people write pounds: "£12,500", or "£12,500.50" when there are pence."""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}" + (f".{rest:02d}" if rest else "")
