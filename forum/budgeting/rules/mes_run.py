"""One run of the Method of Equal Shares: the election compiled once (``Prepared``) and a run at a given budget
per voter (``Run``), in floating point with exact certification of every decision floating point could get wrong.

See :mod:`forum.budgeting.rules.equal_shares` for the method and how the run stays exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import cached_property
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import Any

from forum.budgeting.rules.election import Election, Utility

TOL = 1e-9
INF = float("inf")

Groups = list[tuple[int, dict[int, int]]]  # per utility value: budget class -> number of supporters in it
Prices = dict[int, tuple[float, Fraction | None, Groups]]  # project -> float price, exact price if known, groups


Getter = Callable[[Sequence[float]], Sequence[float]]


def _getter(items: list[int]) -> Getter:
    """A C-speed function picking ``items`` out of a sequence (itemgetter returns a bare item for one index)."""
    if len(items) == 1:
        only = items[0]
        return lambda seq: (seq[only],)
    return itemgetter(*items)


def _bits(mask: int) -> set[int]:
    """The positions of the bits set in ``mask`` (read off its binary digits: faster than testing each bit)."""
    return {i for i, digit in enumerate(bin(mask)[:1:-1]) if digit == "1"}


def _points_given(by_ballot: Counter, index: dict[str, int], m: int) -> list[int]:
    """Per project, the points the ballots give it (the ballots cast once added up at C speed)."""
    given = Counter(chain.from_iterable(points for points, count in by_ballot.items() if count == 1))
    for points, count in by_ballot.items():
        if count > 1:
            for item in points:
                given[item] += count
    support = [0] * m
    for (pid, points), count in given.items():
        support[index[pid]] += points * count
    return support


class Prepared:
    """An election compiled once for many MES runs: projects in tie-breaking order, merged voter types."""

    def __init__(self, election: Election, utility: Utility) -> None:
        self.ids = sorted(p.id for p in election.projects)  # index order is the tie-breaking order
        index = {pid: i for i, pid in enumerate(self.ids)}
        cost_by_id = {p.id: p.cost for p in election.projects}
        self.cost = [cost_by_id[pid] for pid in self.ids]
        self.n = len(election.ballots)
        # identical ballots first (as given: the same points in another order make another key, merged below)
        by_ballot = Counter(map(tuple, map(dict.items, map(attrgetter("points"), election.ballots))))
        items = set(chain.from_iterable(by_ballot))  # every (id, points) given
        # (id, points) -> (index, utility); points are at least 1, so every listed project is supported
        value = {item: (index[item[0]], utility.value_of(item[1], cost_by_id[item[0]])) for item in items}
        types: dict[tuple[tuple[int, int], ...], int] = {}
        for points, count in by_ballot.items():
            key = tuple(sorted(map(value.__getitem__, points)))
            types[key] = types.get(key, 0) + count
        m = len(self.ids)
        self.num_types = len(types)
        self.type_voters = mult = list(types.values())
        by_utility: list[dict[int, list[int]]] = [{} for _ in range(m)]  # per project and utility: the types
        masks = [0] * m  # per project: the projects its supporters also support, as bits
        for t, key in enumerate(types):
            mask = 0
            for p, u in key:
                mask |= 1 << p
                groups = by_utility[p]
                if u in groups:
                    groups[u].append(t)
                else:
                    groups[u] = [t]
            for p, _ in key:
                masks[p] |= mask
        # groups[p]: per utility value (ascending), the voter types supporting p with that utility
        self.groups: list[list[tuple[int, list[int]]]] = [sorted(groups.items()) for groups in by_utility]
        self.group_sizes = [[(u, sum(map(mult.__getitem__, ts))) for u, ts in groups] for groups in self.groups]
        self.total_u = [sum([u * size for u, size in sizes]) for sizes in self.group_sizes]
        self.voters = [sum([size for _, size in sizes]) for sizes in self.group_sizes]
        self.neighbours: list[set[int]] = [_bits(mask) for mask in masks]
        # total points per project (votes, for approval ballots), for the outcome's details: read off the
        # utilities where they keep the points, else added up ballot by ballot
        if utility is Utility.POINTS:
            self.support = list(self.total_u)
        elif utility is Utility.POINTS_COST and all(self.cost):
            self.support = [total // cost for total, cost in zip(self.total_u, self.cost, strict=True)]
        elif all(points == 1 for _, points in items):
            self.support = list(self.voters)
        else:
            self.support = _points_given(by_ballot, index, m)
        self.compiled: dict[str, Any] = {}  # forms the fast runs derive from this once (mes_fast: numpy arrays)

    @cached_property
    def supporters(self) -> list[list[tuple[int, list[int], Getter]]]:
        """Per project and utility value: the types, and a getter picking a value per voter out of a list indexed
        by type (a type once per voter it stands for): a loop over voters at C speed (for the reference run)."""
        mult = self.type_voters

        def per_voter(ts: list[int]) -> list[int]:
            return list(chain.from_iterable(map(repeat, ts, map(mult.__getitem__, ts))))

        return [[(u, ts, _getter(per_voter(ts))) for u, ts in groups] for groups in self.groups]


class Run:
    """One run of MES with ``b`` money per voter. ``selected`` lists project indices in selection order.

    With a ``limit``, the run only answers whether its outcome costs more than ``limit`` (``fits``): it stops as
    soon as the answer is certain, so ``selected`` may be a prefix. It is certain that the outcome fits once the
    funded projects and all the projects whose supporters may still afford them cost no more than ``limit``,
    because money only goes down during a run, so a project unaffordable now is never funded later.
    """

    def __init__(self, prep: Prepared, b: Fraction, limit: int | None = None, patience: int = 0) -> None:
        self.prep = prep
        self.b = b
        self.limit = limit
        self.fits: bool | None = None
        self.wait = self.backoff = 0
        self.patience = patience  # rounds before the first adding up (a hint: it never changes the answer)
        # budget classes: float money left, parent class, selection that created it, utility paid at it, exact
        self.money: list[float] = [float(b)]
        self.parent = [-1]
        self.created_by = [-1]
        self.paid_utility = [0]
        self.exact: list[Fraction | None] = [b]
        self.type_class = [0] * prep.num_types
        self.type_money = [float(b)] * prep.num_types if limit is not None else []
        self.selected: list[int] = []
        self.rho: list[float] = []
        self.snapshot: list[Groups] = []
        self.exact_rho: list[Fraction | None] = []
        self._run()

    @property
    def cost(self) -> int:
        return sum(self.prep.cost[p] for p in self.selected)

    def _groups(self, p: int) -> Groups:
        if not self.selected:  # everybody is still in the first class
            return [(u, {0: size}) for u, size in self.prep.group_sizes[p]]
        type_class = self.type_class
        return [(u, Counter(classes_of(type_class))) for u, _, classes_of in self.prep.supporters[p]]

    def _price(self, p: int, groups: Groups) -> tuple[float, Fraction | None] | None:
        """The project's price ``rho`` (float, and exact when it had to be computed), or None if unaffordable."""
        cost = self.prep.cost[p]
        money = self.money
        items = [(money[c] / u, money[c], u * w, w) for u, counts in groups for c, w in counts.items()]
        available = sum([m * w for _, m, _, w in items])
        if available < cost * (1 - TOL):
            return None
        if available <= cost * (1 + TOL):
            return self._exact_or_none(cost, groups)
        items.sort()
        paid = 0.0
        weight = self.prep.total_u[p]
        for ratio, m, uw, w in items:
            rho = (cost - paid) / weight
            if rho <= ratio:
                return rho, None
            paid += w * m
            weight -= uw
            if weight <= 0:
                break
        return self._exact_or_none(cost, groups)  # rounding defeated the float walk: decide exactly

    def _exact_or_none(self, cost: int, groups: Groups) -> tuple[float, Fraction] | None:
        rho = self._waterfill_exact(cost, groups)
        return None if rho is None else (float(rho), rho)

    def _exact_money(self, c: int) -> Fraction:
        value = self.exact[c]
        if value is None:
            before = self._exact_money(self.parent[c])
            pay = self._exact_price(self.created_by[c]) * self.paid_utility[c]
            value = before - pay if before > pay else Fraction(0)
            self.exact[c] = value
        return value

    def _exact_price(self, j: int) -> Fraction:
        rho = self.exact_rho[j]
        if rho is None:
            rho = self._waterfill_exact(self.prep.cost[self.selected[j]], self.snapshot[j])
            assert rho is not None, "a funded project was affordable"
            self.exact_rho[j] = rho
        return rho

    def _waterfill_exact(self, cost: int, groups: Groups) -> Fraction | None:
        items = [(self._exact_money(c), u, w) for u, counts in groups for c, w in counts.items()]
        if sum(m * w for m, _, w in items) < cost:
            return None
        items.sort(key=lambda x: x[0] / x[1])
        paid = Fraction(0)
        weight = sum(u * w for _, u, w in items)
        for m, u, w in items:
            rho = (cost - paid) / weight
            if rho * u <= m:
                return rho
            paid += w * m
            weight -= w * u
        return None

    def _run(self) -> None:
        prep = self.prep
        alive = [p for p in range(len(prep.ids)) if prep.total_u[p] > 0]
        bound = [c / u if u else INF for c, u in zip(prep.cost, prep.total_u, strict=True)]  # prices only rise
        current: Prices = {}
        if self.limit is not None:  # everybody has b: drop what its supporters cannot afford even then
            b = float(self.b)
            alive = [p for p in alive if b * prep.voters[p] >= prep.cost[p] * (1 - TOL)]
        dirty = set(alive)
        stale: set[int] = set()
        while alive:
            winner = self._choose(alive, bound, current, dirty)
            if winner is None:
                break
            self._select(winner, current.pop(winner))
            alive.remove(winner)
            dirty.update(prep.neighbours[winner])
            stale.update(prep.neighbours[winner])
            if self.limit is not None and self._decided(alive, stale):
                return
        if self.limit is not None and self.fits is None:
            self.fits = self.cost <= self.limit

    def _choose(self, alive: list[int], bound: list[float], current: Prices, dirty: set[int]) -> int | None:
        """One round's winner (its price left in ``current``), or None when nothing is affordable.

        ``bound[p]`` is a lower bound of ``p``'s price (its last price: prices only rise); ``current`` holds the
        prices of the projects not in ``dirty`` (none of whose supporters paid since). Projects found
        unaffordable are removed from ``alive``.
        """
        prep = self.prep
        alive.sort(key=bound.__getitem__)
        best = INF
        candidates: list[int] = []
        dead: list[int] = []
        for p in alive:
            if bound[p] > best * (1 + TOL):
                break
            if p in dirty:
                dirty.discard(p)
                groups = self._groups(p)
                price = self._price(p, groups)
                if price is None:
                    dead.append(p)
                    continue
                current[p] = (price[0], price[1], groups)
                bound[p] = price[0]
            candidates.append(p)
            if current[p][0] < best:
                best = current[p][0]
        for p in dead:
            alive.remove(p)
        if not candidates:
            return None
        near = [p for p in candidates if current[p][0] <= best * (1 + TOL)]
        if len(near) == 1:
            return near[0]
        exact = {}
        for p in near:
            rho_f, rho_x, groups = current[p]
            if rho_x is None:
                rho_x = self._waterfill_exact(prep.cost[p], groups)
                assert rho_x is not None, "a project certified affordable is affordable"
                current[p] = (rho_f, rho_x, groups)
            exact[p] = rho_x
        return min(near, key=lambda p: (exact[p], p))

    def _decided(self, alive: list[int], stale: set[int]) -> bool:
        """With a limit: is it already certain whether the outcome fits? Drops projects nobody can afford now.

        ``stale`` holds the projects some of whose supporters paid since their money was last added up. Adding
        up is the costly part, so after a check that settles nothing the next ones wait 1, 2, 4... rounds: when
        the answer is found only delays the stop, never changes it.
        """
        limit = self.limit
        assert limit is not None
        cost = self.prep.cost
        spent = self.cost
        if spent > limit:
            self.fits = False
            return True
        if spent + sum(cost[p] for p in alive) <= limit:
            self.fits = True
            return True
        if self.wait or len(self.selected) < self.patience:
            self.wait -= bool(self.wait)
            return False
        total = spent + sum(cost[p] for p in alive)
        if spent + sum(cost[p] for p in alive if p not in stale) <= limit:  # else adding up cannot settle it
            type_money, supporters = self.type_money, self.prep.supporters
            for p in sorted((p for p in alive if p in stale), key=cost.__getitem__, reverse=True):
                stale.discard(p)
                available = sum(sum(classes_of(type_money)) for *_, classes_of in supporters[p])
                if available < cost[p] * (1 - TOL):
                    alive.remove(p)
                    total -= cost[p]
                    if total <= limit:
                        self.fits = True
                        return True
        self.backoff = self.wait = self.backoff * 2 or 1
        return False

    def _select(self, w: int, price: tuple[float, Fraction | None, Groups]) -> None:
        rho_f, rho_x, groups = price
        if rho_x is not None:
            rho_f = float(rho_x)
        j = len(self.selected)
        self.selected.append(w)
        self.rho.append(rho_f)
        self.snapshot.append(groups)
        self.exact_rho.append(rho_x)
        money, type_class, exact = self.money, self.type_class, self.exact
        for (u, types, _), (_, counts) in zip(self.prep.supporters[w], groups, strict=True):
            moved: dict[int, int] = {}
            for old in counts:
                moved[old] = len(money)
                left = money[old] - rho_f * u
                money.append(left if left > 0 else 0.0)
                self.parent.append(old)
                self.created_by.append(j)
                self.paid_utility.append(u)
                exact.append(Fraction(0) if exact[old] == 0 else None)
            if self.limit is None:
                for t in types:
                    type_class[t] = moved[type_class[t]]
            else:
                type_money = self.type_money
                for t in types:
                    new = type_class[t] = moved[type_class[t]]
                    type_money[t] = money[new]

    def max_payment(self, j: int) -> float:
        """The most a supporter paid for the ``j``-th funded project (float, for display)."""
        rho = self.rho[j]
        return max(min(self.money[c], rho * u) for u, counts in self.snapshot[j] for c in counts)
