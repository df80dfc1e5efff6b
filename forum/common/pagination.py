"""Page numbers from the query string and the GOV.UK pagination component's parameters."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest

MAX_PAGE = 100_000


def page_from_request(arg: str = "page") -> int:
    """The requested page number: 1 when absent, 400 when it is not a sensible whole number."""
    raw = request.args.get(arg, "1")
    # isascii: str.isdigit() also accepts "²" and "①", which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest("The page number must be a whole number.")
    return int(raw)


@dataclass
class Page:
    """One page of a list: its items and where it sits among the pages."""

    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def govuk_params(self, url_for_page: Callable[[int], str]) -> dict[str, Any] | None:
        """Parameters for ``govukPagination``, or None when everything fits on one page."""
        if self.pages <= 1:
            return None
        items: list[dict[str, Any]] = []
        shown = sorted({1, self.pages, self.number - 1, self.number, self.number + 1} & set(range(1, self.pages + 1)))
        last = 0
        for n in shown:
            if n - last > 1:
                items.append({"ellipsis": True})
            items.append({"number": n, "href": url_for_page(n), "current": n == self.number})
            last = n
        params: dict[str, Any] = {"items": items}
        if self.has_prev:
            params["previous"] = {"href": url_for_page(self.number - 1)}
        if self.has_next:
            params["next"] = {"href": url_for_page(self.number + 1)}
        return params
