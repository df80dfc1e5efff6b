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


def format_pence_short(pence: int) -> str:
    """Large sums as a chart labels them: "£1.2bn", "£12.3m", "£45k"; under £10,000 as ``format_pence``."""
    pounds = (abs(pence) + 50) // 100
    sign = "-" if pence < 0 else ""
    for size, unit in ((10**9, "bn"), (10**6, "m")):
        if pounds >= size:
            tenths = (pounds * 10 + size // 2) // size
            return f"{sign}£{tenths // 10:,}" + (f".{tenths % 10}" if tenths % 10 else "") + unit
    if pounds >= 10_000:
        return f"{sign}£{(pounds + 500) // 1000:,}k"
    return format_pence(pence)


def format_share(basis_points: int | None, signed: bool = False) -> str:
    """A share in hundredths of a percent as people read it: 1234 -> "12.3%", a share under 1% to two places
    (3 -> "0.03%"); signed: "+12.3%" / "−4.0%"; None -> "–". Integers throughout, rounded half up."""
    if basis_points is None:
        return "–"
    sign = ("+" if basis_points > 0 else "−" if basis_points < 0 else "") if signed else (
        "−" if basis_points < 0 else "")
    size = abs(basis_points)
    if size < 100:
        return f"{sign}0.{size:02d}%"
    tenths = (size + 5) // 10
    return f"{sign}{tenths // 10:,}.{tenths % 10}%"
