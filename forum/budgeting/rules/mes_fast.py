"""One MES run, fast: money kept per voter type in a numpy array, exact arithmetic rebuilt only for near ties.

Same method and outcome as :class:`forum.budgeting.rules.mes_run.Run` (the reference the tests compare it with),
with a cheaper state: one float per voter type (identical ballots merged) instead of budget classes, each project's
supporters as index arrays into it, and prices found by the poor/rich iteration (a few array passes) before a sort.

Exactness: a price is a continuous function of the money, so floating point moves it only by rounding (about
1e-15 relative per operation). Every decision is taken in floats only with a relative margin ``TOL`` (1e-9):
a project unaffordable, a project beaten. Inside the margin the decision is taken again in ``Fraction``s: the exact
money per type is rebuilt round by round from the exact prices of the rounds before (computed on demand), and the
exact price computed from it. A winner none of whose supporters is capped (the float margin certifies it) pays
exactly its floor ``cost / total utility``, so exact ties between such projects (frequent: equal support) need no
rebuilding.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from forum.budgeting.rules.mes_run import INF, TOL, Prepared

Price = tuple[float, Fraction | None]  # float price, exact price when known


@dataclass
class Supporters:
    """One project's supporters, a row per voter type: its index, utility, number of voters, and their product."""

    types: np.ndarray
    utility: np.ndarray
    voters: np.ndarray
    weight: np.ndarray  # utility * voters
    single: bool  # every type one voter (voters all 1: money and money paid are the same array)


@dataclass
class Flat:
    """Every project's supporters in one row list: the project, the voter type, its number of voters."""

    project: np.ndarray
    types: np.ndarray
    voters: np.ndarray


def exact_floors(prep: Prepared) -> list[Fraction | None]:
    """Per project, its floor ``cost / total utility`` as a fraction (kept on ``prep``)."""
    floors = prep.compiled.get("floors")
    if floors is None:
        floors = [Fraction(c, u) if u else None for c, u in zip(prep.cost, prep.total_u, strict=True)]
        prep.compiled["floors"] = floors
    return floors


def supporter_arrays(prep: Prepared) -> tuple[list[Supporters], Flat]:
    """Per project, its supporters as arrays, and all of them in one (compiled once per election, kept on
    ``prep``)."""
    cached = prep.compiled.get("arrays")
    if cached is None:
        groups = prep.groups
        sizes = [sum([len(ts) for _, ts in by_u]) for by_u in groups]
        types = np.array([t for by_u in groups for _, ts in by_u for t in ts], dtype=np.intp)
        utility = np.array([u for by_u in groups for u, ts in by_u for _ in ts], dtype=np.float64)
        voters = np.array(prep.type_voters, dtype=np.float64)[types]
        weight = utility * voters
        # per project: how many of its rows stand for several voters (a running count of them, differenced)
        ends = np.cumsum(sizes)
        several = np.concatenate(([0], np.cumsum(voters != 1)))
        multiple = (several[ends] - several[ends - sizes]).tolist()
        cached = []
        end = 0
        for size, count in zip(sizes, multiple, strict=True):  # each project's rows are views into the flat arrays
            start, end = end, end + size
            cached.append(Supporters(types[start:end], utility[start:end], voters[start:end], weight[start:end],
                                     count == 0))
        flat = Flat(np.repeat(np.arange(len(sizes), dtype=np.intp), sizes), types, voters)
        prep.compiled["arrays"] = cached, flat
        return cached, flat
    return cached


class FastRun:
    """MES with ``b`` money per voter. ``selected`` lists project indices in selection order.

    Subclasses may start from rounds already known (:mod:`forum.budgeting.rules.mes_trail`): ``_replay`` funds a
    given project at its current price, ``_search`` goes on as plain MES from the current state.
    """

    def __init__(self, prep: Prepared, b: Fraction, limit: int | None = None) -> None:
        self.prep = prep
        self.b = b
        self.limit = limit
        self.fits: bool | None = None
        self.spent = 0
        self.wait = self.backoff = 0
        self.open: list[int] | None = None  # with a limit: the projects not yet known to be unaffordable
        self.open_cost = 0  # what they cost
        self.patience = 0  # with a limit: rounds before the first adding up (a hint: it never changes the answer)
        self.rows, self.flat = supporter_arrays(prep)
        self.floors = exact_floors(prep)
        self.b_float = float(b)
        self.money = np.full(prep.num_types, self.b_float)
        self.selected: list[int] = []
        self.rho: list[float] = []
        self.exact_rho: list[Fraction | None] = []
        self.paid_most: list[float] = []
        self.capped_any = False  # was a supporter of a funded project capped (paid all they had), or nearly?
        self._capped: int | None = 0  # how many voters are, once counted (None: to count again)
        self.poor: np.ndarray | None = None  # the poor supporters of the last price found by poor/rich
        self._exact_money: list[Fraction] | None = None
        self._exact_round = 0
        self._run()

    @property
    def capped(self) -> int:
        """The voters capped so far (paid all they had), counting the nearly capped too: those left with at most
        ``TOL b``. A capped voter keeps nothing; one the floats call rich by a rounding error keeps far less than
        that (rich by less than ``TOL`` times a payment itself under ``b``). Counting a few more only loosens the
        bounds that use it."""
        if self._capped is None:
            counts = self.prep.compiled.get("type_voters")
            if counts is None:
                counts = self.prep.compiled["type_voters"] = np.array(self.prep.type_voters, dtype=np.float64)
            self._capped = int(counts.dot(self.money <= TOL * self.b_float))
        return self._capped

    @property
    def cost(self) -> int:
        return sum(self.prep.cost[p] for p in self.selected)

    def max_payment(self, j: int) -> float:
        """The most a supporter paid for the ``j``-th funded project (float, for display)."""
        return self.paid_most[j]

    def _run(self) -> None:
        self._search()
        self._close()

    def _close(self) -> None:
        if self.fits is None and self.limit is not None:
            self.fits = self.spent <= self.limit

    def _settled(self) -> bool:
        """With a limit: is it already certain whether the outcome fits?

        It does not once the funded projects cost more; it does once they and every project whose supporters may
        still afford it cost no more (money only goes down during a run, so nothing else can be funded). Adding
        up money is the costly part: after a check that settles nothing the next ones wait 1, 2, 4... rounds
        (which only delays the answer, never changes it).
        """
        limit = self.limit
        if limit is None:
            return False
        if self.spent > limit:
            self.fits = False
            return True
        prep = self.prep
        cost = prep.cost
        if self.open is None:
            chosen = set(self.selected)
            self.open = [p for p in range(len(cost)) if prep.total_u[p] > 0 and p not in chosen]
            self.open_cost = sum([cost[p] for p in self.open])
        else:
            last = self.selected[-1]
            if last in self.open:
                self.open.remove(last)
                self.open_cost -= cost[last]
        total = self.spent + self.open_cost
        if total <= limit:
            self.fits = True
            return True
        if self.wait or len(self.selected) < self.patience:
            self.wait -= bool(self.wait)
            return False
        available = self._available()
        for p in sorted(self.open, key=cost.__getitem__, reverse=True):
            if available[p] < cost[p] * (1 - TOL):
                self.open.remove(p)
                self.open_cost -= cost[p]
                total -= cost[p]
                if total <= limit:
                    self.fits = True
                    return True
        self.backoff = self.wait = self.backoff * 2 or 1
        return False

    def _available(self) -> np.ndarray:
        """Per project, the money its supporters hold now."""
        flat = self.flat
        return np.bincount(flat.project, weights=self.money[flat.types] * flat.voters, minlength=len(self.prep.cost))

    # --- prices ------------------------------------------------------------------------------------------

    def _price(self, p: int) -> Price | None:
        """``p``'s price now (float, and exact when known), or None if its supporters cannot afford it."""
        row = self.rows[p]
        return self._price_of(p, row, self.money[row.types])

    def _price_of(self, p: int, row: Supporters, values: np.ndarray) -> Price | None:
        """As :meth:`_price`, given its supporters' money ``values`` (a replayed round first tries the poor
        supporters of the step before: :mod:`forum.budgeting.rules.mes_trail`)."""
        cost, total = self.prep.cost[p], self.prep.total_u[p]
        available = float(values.dot(row.voters))  # .dot: half the call cost of @ on short arrays
        if available < cost * (1 - TOL):
            return None
        if available <= cost * (1 + TOL):
            return self._exact(p)
        utility = row.utility
        paid = values if row.single else values * row.voters
        rho = cost / total
        if not np.count_nonzero(values < utility * (rho * (1 + TOL))):
            return rho, self.floors[p]  # nobody capped: the floor, exactly
        poor_count = -1
        for _ in range(6):  # poor/rich: the price rises, more supporters become poor, until none does
            poor = values < rho * utility
            count = np.count_nonzero(poor)
            if count == poor_count:
                self.poor = poor
                return float(rho), None
            poor_utility = float(row.weight.dot(poor))
            if poor_utility >= total:
                break
            poor_count = count
            rho = (cost - float(paid.dot(poor))) / (total - poor_utility)
        return self._walk(p, values, paid)

    def _walk(self, p: int, values: np.ndarray, paid: np.ndarray) -> Price | None:
        """The price by the sorted walk (many poor/rich levels), or exactly if rounding defeats it."""
        cost, total = self.prep.cost[p], self.prep.total_u[p]
        row = self.rows[p]
        ratio = values / row.utility
        order = np.argsort(ratio, kind="stable")
        # before each supporter in order: what those before paid in full, and the utility of the rest
        before = np.concatenate(([0.0], np.cumsum(paid[order])[:-1]))
        weight = total - np.concatenate(([0.0], np.cumsum(row.weight[order])[:-1]))
        rho = (cost - before) / weight
        hits = np.flatnonzero(rho <= ratio[order])
        if hits.size:
            return float(rho[hits[0]]), None
        return self._exact(p)

    def _exact(self, p: int) -> Price | None:
        rho = self._waterfill_exact(p, self._exact_state())
        return None if rho is None else (float(rho), rho)

    def _exact_state(self) -> list[Fraction]:
        """The exact money per type now, rebuilt from the last exact state with the exact prices since."""
        prep = self.prep
        if self._exact_money is None:
            self._exact_money = [self.b] * prep.num_types
            self._exact_round = 0
        money = self._exact_money
        while self._exact_round < len(self.selected):
            j = self._exact_round
            w = self.selected[j]
            rho = self.exact_rho[j]
            if rho is None:
                rho = self._waterfill_exact(w, money)
                assert rho is not None, "a funded project was affordable"
                self.exact_rho[j] = rho
            for u, types in prep.groups[w]:
                pay = rho * u
                for t in types:
                    m = money[t]
                    money[t] = m - pay if m > pay else Fraction(0)
            self._exact_round += 1
        return money

    def _waterfill_exact(self, p: int, money: list[Fraction]) -> Fraction | None:
        prep = self.prep
        cost, voters = prep.cost[p], prep.type_voters
        items = [(money[t] / u, money[t], u, voters[t]) for u, types in prep.groups[p] for t in types]
        if sum(m * w for _, m, _, w in items) < cost:
            return None
        items.sort(key=lambda x: x[0])
        paid = Fraction(0)
        weight = Fraction(prep.total_u[p])
        for _, m, u, w in items:
            rho = (cost - paid) / weight
            if rho * u <= m:
                return rho
            paid += w * m
            weight -= w * u
        return None

    def _exact_price(self, p: int, price: Price) -> Fraction:
        if price[1] is not None:
            return price[1]
        rho = self._waterfill_exact(p, self._exact_state())
        assert rho is not None, "a project certified affordable is affordable"
        return rho

    # --- rounds ------------------------------------------------------------------------------------------

    def _fund(self, w: int, price: Price) -> None:
        """Fund ``w`` at ``price``: each supporter pays ``min(money, rho * u)``."""
        rho_f, rho_x = price
        if rho_x is not None:
            rho_f = float(rho_x)
        prep = self.prep
        row = self.rows[w]
        values = self.money[row.types]
        cap = rho_f * row.utility
        self.paid_most.append(float(np.minimum(values, cap).max()))
        self._pay(row, values, cap)
        self.spent += prep.cost[w]
        self.selected.append(w)
        self.rho.append(rho_f)
        self.exact_rho.append(rho_x)

    def _pay(self, row: Supporters, values: np.ndarray, cap: np.ndarray, capped: bool = False) -> None:
        """Each supporter pays ``min(money, cap)`` (``cap = rho u``); the (nearly) capped ones keep nothing (and
        are counted when next needed). ``capped``: some supporter is known to pay all they have."""
        left = values - cap
        if not capped and not np.count_nonzero(left <= cap * TOL):  # nobody (nearly) capped: the common case
            self.money[row.types] = left
            return
        self.money[row.types] = np.maximum(left, 0.0)  # a - b > 0 exactly when a > b, in floats too
        self.capped_any = True
        self._capped = None

    def _choose(self, alive: list[int], bound: list[float], current: dict[int, Price], dirty: set[int]) -> int | None:
        """One round's winner (its price left in ``current``), or None when nothing is affordable.

        ``bound[p]`` is a lower bound of ``p``'s price (prices only rise); ``current`` holds the prices of the
        projects not in ``dirty`` (none of whose supporters paid since). Unaffordable projects leave ``alive``.
        """
        alive.sort(key=bound.__getitem__)
        best = INF
        candidates: list[int] = []
        dead: list[int] = []
        for p in alive:
            if bound[p] > best * (1 + TOL):
                break
            if p in dirty:
                dirty.discard(p)
                price = self._price(p)
                if price is None:
                    dead.append(p)
                    continue
                current[p] = price
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
            exact[p] = self._exact_price(p, current[p])
            current[p] = (current[p][0], exact[p])
        return min(near, key=lambda p: (exact[p], p))

    def _search(self) -> None:
        """Plain MES from the current state, to the end (or until settled, with a limit)."""
        prep = self.prep
        chosen = set(self.selected)
        alive = [p for p in range(len(prep.ids)) if prep.total_u[p] > 0 and p not in chosen]
        bound = [c / u if u else INF for c, u in zip(prep.cost, prep.total_u, strict=True)]  # the floors
        current: dict[int, Price] = {}
        dirty = set(alive)
        while alive:
            winner = self._choose(alive, bound, current, dirty)
            if winner is None:
                break
            price = current.pop(winner)
            self._funding(winner, price)
            self._fund(winner, price)
            if self._settled():
                return
            alive.remove(winner)
            dirty.update(prep.neighbours[winner])
        self._ended()

    def _funding(self, w: int, price: Price) -> None:
        """Called before a searched round's winner is funded (the trail records it)."""

    def _ended(self) -> None:
        """Called when a search ends (the trail records who was left unaffordable)."""
