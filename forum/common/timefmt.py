"""Times as people say them: "3 days ago", with the exact date kept for a <time> element."""

from __future__ import annotations

from datetime import UTC, datetime

from markupsafe import Markup, escape


def utcnow() -> datetime:
    """The current time in UTC, naive (both databases store naive UTC timestamps)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'} ago"


def relative(moment: datetime, now: datetime | None = None) -> str:
    """Describe how long ago ``moment`` was, as a person would."""
    seconds = int(((now or utcnow()) - moment).total_seconds())
    if seconds < 60:
        return "just now"
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 60:
        return _plural(minutes, "minute")
    if hours < 24:
        return _plural(hours, "hour")
    if days < 2:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    if days < 730:
        return _plural(days // 30, "month")
    return _plural(days // 365, "year")


def exact(moment: datetime) -> str:
    """The full date and time, e.g. "25 November 2026 at 1:16pm (UTC)"."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{moment.day} {moment:%B %Y} at {hour}:{moment:%M}{suffix} (UTC)"


def time_element(moment: datetime | None, prefix: str = "") -> Markup:
    """A <time> element reading relatively, with the machine date and the exact date as its title."""
    if moment is None:
        return Markup("")
    text = f"{prefix}{relative(moment)}"
    return Markup('<time datetime="{}Z" title="{}">{}</time>').format(
        moment.isoformat(timespec="seconds"), exact(moment), escape(text)
    )
