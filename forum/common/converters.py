"""URL converters: ids that the database can hold, so a huge number is a 404, not a 500."""

from werkzeug.routing import IntegerConverter

#: Primary keys are ``Integer`` columns: a 32-bit ``integer`` on PostgreSQL, which refuses anything larger
#: with an error (a 500) rather than finding no row.
MAX_ID = 2**31 - 1


def parse_id(raw: str | None) -> int | None:
    """A form's or query string's id as a number, or None when it is not one a row could have."""
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


class IdConverter(IntegerConverter):
    """A positive id that fits in the database's 32-bit integer primary keys."""

    regex = r"\d{1,10}"

    def __init__(self, map, **kwargs) -> None:  # noqa: A002 - werkzeug's signature
        super().__init__(map, min=1, max=MAX_ID)
