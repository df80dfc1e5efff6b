"""URL converters: ids that the database can hold, so a huge number is a 404, not a 500."""

from werkzeug.routing import IntegerConverter


class IdConverter(IntegerConverter):
    """A positive id that fits in a 63-bit integer column."""

    regex = r"\d{1,18}"

    def __init__(self, map, **kwargs) -> None:  # noqa: A002 - werkzeug's signature
        super().__init__(map, min=1, max=2**63 - 1)
