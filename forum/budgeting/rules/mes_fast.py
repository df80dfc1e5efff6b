"""One MES run, fast: money kept per voter type in floats, exact arithmetic rebuilt only for near ties.

Same method and outcome as :class:`forum.budgeting.rules.mes_run.Run` (the reference the tests compare it with),
with a cheaper state: one float per voter type (identical ballots merged) instead of budget classes, and prices
found by the poor/rich iteration over C-speed list passes instead of a sort.

Exactness: a price is a continuous function of the money, so floating point moves it only by rounding (about
1e-15 relative per operation). Every decision is taken in floats only with a relative margin ``TOL`` (1e-9):
a project unaffordable, a project beaten. Inside the margin the decision is taken again in ``Fraction``s: the exact
money per type is rebuilt round by round from the exact prices of the rounds before (computed on demand), and the
exact price computed from it. A winner none of whose supporters is capped (the float margin certifies it) pays
exactly its floor ``cost / total utility``, so exact ties between such projects (frequent: equal support) need no
rebuilding.
"""

from __future__ import annotations

from collections import deque
from fractions import Fraction

from forum.budgeting.rules.mes_run import INF, TOL, Prepared

Price = tuple[float, Fraction | None]  # float price, exact price when known


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
        self.patience = 0  # with a limit: rounds before the first adding up (a hint: it never changes the answer)
        self.money = [float(b)] * prep.num_types
        self.dry = [False] * prep.num_types  # types that were capped (or nearly)
        self.selected: list[int] = []
        self.rho: list[float] = []
        self.exact_rho: list[Fraction | None] = []
        self.paid_most: list[float] = []
        self.capped = 0  # voters capped so far (paid all they had), counting the nearly capped too
        self.capped_before: list[int] = []
        self._exact_money: list[Fraction] | None = None
        self._exact_round = 0
        self._run()

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
        else:
            last = self.selected[-1]
            if last in self.open:
                self.open.remove(last)
        total = self.spent + sum(cost[p] for p in self.open)
        if total <= limit:
            self.fits = True
            return True
        if self.wait or len(self.selected) < self.patience:
            self.wait -= bool(self.wait)
            return False
        money = self.money
        for p in sorted(self.open, key=cost.__getitem__, reverse=True):
            if sum([sum(get(money)) for _, _, get in prep.supporters[p]]) < cost[p] * (1 - TOL):
                self.open.remove(p)
                total -= cost[p]
                if total <= limit:
                    self.fits = True
                    return True
        self.backoff = self.wait = self.backoff * 2 or 1
        return False

    # --- prices ------------------------------------------------------------------------------------------

    def _price(self, p: int) -> Price | None:
        """``p``'s price now (float, and exact when known), or None if its supporters cannot afford it."""
        prep = self.prep
        cost, total = prep.cost[p], prep.total_u[p]
        groups = [(u, get(self.money)) for u, _, get in prep.supporters[p]]
        available = sum([sum(values) for _, values in groups])
        if available < cost * (1 - TOL):
            return None
        if available <= cost * (1 + TOL):
            return self._exact(p)
        rho = cost / total
        if all(min(values) >= rho * u * (1 + TOL) for u, values in groups):
            return rho, Fraction(cost, total)  # nobody capped: the floor, exactly
        poor_count = -1
        for _ in range(6):  # poor/rich: the price rises, more supporters become poor, until none does
            poor_money = 0.0
            poor_utility = count = 0
            for u, values in groups:
                cap = rho * u
                poor = [v for v in values if v < cap]
                poor_money += sum(poor)
                poor_utility += u * len(poor)
                count += len(poor)
            if count == poor_count:
                return rho, None
            if poor_utility >= total:
                break
            poor_count = count
            rho = (cost - poor_money) / (total - poor_utility)
        return self._walk(p, groups)

    def _walk(self, p: int, groups: list[tuple[int, tuple[float, ...]]]) -> Price | None:
        """The price by the sorted walk (many poor/rich levels), or exactly if rounding defeats it."""
        cost, weight = self.prep.cost[p], self.prep.total_u[p]
        items = sorted((v / u, v, u) for u, values in groups for v in values)
        paid = 0.0
        for ratio, v, u in items:
            rho = (cost - paid) / weight
            if rho <= ratio:
                return rho, None
            paid += v
            weight -= u
            if weight <= 0:
                break
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
            for u, types, _ in prep.supporters[w]:
                pay = rho * u
                for t in types:
                    m = money[t]
                    money[t] = m - pay if m > pay else Fraction(0)
            self._exact_round += 1
        return money

    def _waterfill_exact(self, p: int, money: list[Fraction]) -> Fraction | None:
        prep = self.prep
        cost, voters = prep.cost[p], prep.type_voters
        items = [(money[t] / u, money[t], u, voters[t]) for u, types, _ in prep.supporters[p] for t in types]
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
        money, voters, dry = self.money, prep.type_voters, self.dry
        self.capped_before.append(self.capped)
        most = 0.0
        capped = 0
        for u, types, get in prep.distinct[w]:
            pay = rho_f * u
            limit = pay * (1 + TOL)
            values = get(money)
            most = max(most, min(max(values), pay))
            if min(values) > limit:  # nobody capped: the common case, at C speed
                deque(map(money.__setitem__, types, [v - pay for v in values]), maxlen=0)
                continue
            deque(map(money.__setitem__, types, [v - pay if v > pay else 0.0 for v in values]), maxlen=0)
            for t in [t for t, v in zip(types, values, strict=True) if v <= limit]:
                if not dry[t]:
                    dry[t] = True
                    capped += voters[t]
        self.capped += capped
        self.spent += prep.cost[w]
        self.selected.append(w)
        self.rho.append(rho_f)
        self.exact_rho.append(rho_x)
        self.paid_most.append(most)

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
