"""The completion of MES, fast: each step reuses the rounds of the step before while they provably stay the same.

The completion runs MES at ``b_k = budget / n + k`` for k = 1, 2, ... until the outcome no longer fits. Consecutive
runs almost always fund the same projects in the same order, so each run leaves a *trail*: its winners, and for
each round the projects that could one day beat that round's winner, with the last step at which they certainly
cannot. A later step replays nothing while every bound holds; it recomputes only from the first round whose bound
ran out, and searches afresh (as :class:`~forum.budgeting.rules.mes_run.Run` does) only where a winner changes.

Why the bounds hold (``b' > b``; a run at ``b'`` whose rounds before ``r`` funded the same projects as at ``b``):

1. *Money only grows with b.* Before round 1 every voter has ``b' > b``. If every voter has at least as much before
   round ``j`` as at ``b``, the winner's price ``rho_j`` (the least ``rho`` with ``sum_i min(m_i, rho u_i) >= cost``)
   is at most its price at ``b``, and each voter keeps ``max(0, m_i - rho_j u_i)``, which grows with ``m_i`` and
   falls with ``rho_j``: at least as much as at ``b``.
2. *In total it grows by exactly n (b' - b).* Each round's payments add up to the winner's cost, the same at both
   budgets, so the money left before round ``r`` is ``n b - (costs of the winners so far)``.
3. *A voter never capped (never paying all they had) gains at least b' - b.* Their money is ``b`` minus their
   payments ``rho_j u_i``, and every ``rho_j`` is no higher at ``b'``. (Capped at ``b'`` implies capped at ``b``.)
4. Let ``f_q(rho) = sum over q's supporters of min(m_i, rho u_i)`` (what they would pay at price ``rho``), and
   ``A`` the supporters with ``m_i < rho_r u_i`` at ``b`` (the others pay ``rho_r u_i`` at ``b`` and at most that
   at ``b'``). Then ``f_q`` at ``b'`` and ``rho_r(b')`` exceeds ``f_q`` at ``b`` and ``rho_r(b)`` by at most the
   money ``A`` gained, which is the ``n (b' - b)`` gained by all minus what the others gained, at least
   ``b' - b`` for each never-capped voter outside ``A``: at most ``(C + |A|) (b' - b)``, with ``C`` the voters
   capped before round ``r`` at ``b``.
5. ``q`` beats round ``r``'s winner ``w`` at ``b'`` only if its price is at most ``rho_r(b')``, i.e. only if
   ``f_q(rho_r(b')) >= cost_q``. So while ``f_q(rho_r(b)) + (C + |A|) (b' - b) < cost_q``, ``q`` cannot beat ``w``.
6. Which ``q`` need watching: every price is at least the project's floor ``cost / total utility`` (all its
   supporters paying in full). A ``q`` whose floor is above ``rho_r(b) >= rho_r(b')`` never beats ``w``. When no
   supporter of ``w`` was capped, ``rho_r`` *is* ``w``'s floor (at every ``b' >= b``: with more money nobody is
   capped either), so a ``q`` whose floor equals it exactly and whose id comes after ``w``'s cannot beat it
   either: at best it ties and loses the tie.
7. The run ends when no project left is affordable: ``q``'s supporters hold less than ``cost_q``. Their money at
   ``b'`` is at most that at ``b`` plus ``(C + |q's supporters|) (b' - b)``, by the same argument.

So at each round the trail keeps, per watched project, the last step at which (5) or (7) still certifies it (``C``
counts the nearly capped too, which only loosens the bound); a bound is checked in floats with the relative margin
``TOL`` (far above the rounding error of these sums), and when it runs out the project's ``f`` is recomputed at the
new step (which needs the rounds before it replayed: each winner's price computed again, no search). If the margin
cannot certify it, the run searches afresh from that round, exactly as a plain run does, deciding near ties in
exact arithmetic; the new rounds join the trail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from forum.budgeting.rules.mes_fast import FastRun, Price
from forum.budgeting.rules.mes_run import TOL, Prepared

NEVER = 1 << 62  # "certified for ever": nothing to watch


@dataclass
class Round:
    """One round of a trail: its winner, and the watched projects as ``[project, last certified step]``."""

    winner: int
    watch: list[list[int]]
    until: int


@dataclass
class Trail:
    """A run's rounds, and the projects left unfunded at its end with the last step each is surely unaffordable."""

    rounds: list[Round]
    end: list[list[int]] | None  # None: the run stopped once its outcome was known to fit (rounds are a prefix)
    end_until: int


def _until(watch: list[list[int]]) -> int:
    return min((w[1] for w in watch), default=NEVER)


class TrailRun(FastRun):
    """The MES run at ``base + k`` per voter, reusing the ``trail`` of a run at an earlier step (or none).

    ``selected`` is the outcome; ``trail`` what the next step may reuse. When the whole previous trail still holds
    nothing is computed (``replayed == 0``) and no money is tracked: use a plain run for the details.
    """

    def __init__(
        self, prep: Prepared, base: Fraction, k: int, trail: Trail | None, limit: int | None = None, patience: int = 0
    ) -> None:
        self.k = k
        self.hint = patience
        self.previous = trail
        self.trail = Trail([], None, NEVER)
        self.replayed = self.searched = 0
        self.searching = False
        super().__init__(prep, base + k, limit)

    def _settled(self) -> bool:
        # a search goes on to the end even when its outcome is known: the next steps reuse the whole trail
        return not self.searching and super()._settled()

    def _run(self) -> None:
        self.patience = self.hint
        self._follow()
        self._close()

    def _follow(self) -> None:
        old, k = self.previous, self.k
        if old is None:
            self.searching = True
            self._search()
            return
        if old.end is not None and old.end_until >= k and all(r.until >= k for r in old.rounds):
            self.selected = [r.winner for r in old.rounds]
            self.spent = self.cost
            self.trail = old
            return
        rounds = self.trail.rounds
        for i, r in enumerate(old.rounds):
            w = r.winner
            price = self._price(w)
            assert price is not None, "money only grew since this project was affordable"
            self.replayed += 1
            if r.until < k:
                if not self._recheck(r.watch, price[0] if price[1] is None else float(price[1])):
                    break
                r.until = _until(r.watch)
            self._fund(w, price)
            rounds.append(r)
            if self._settled():  # known to fit: the rounds after stay in the trail, still bounded as they were
                self.trail = Trail(rounds + old.rounds[i + 1:], old.end, old.end_until)
                return
        else:
            if old.end is not None:
                if old.end_until < k and self._recheck(old.end, None):
                    old.end_until = _until(old.end)
                if old.end_until >= k:
                    self.trail = Trail(rounds, old.end, old.end_until)
                    return
        self.searching = True
        self._search()

    def _certified(self, q: int, rho: float | None) -> int:
        """The last step at which ``q`` certainly cannot beat a winner at price ``rho`` (None: cannot be funded
        at the end), by the bound in the module docstring; ``k - 1`` when not even now."""
        prep = self.prep
        paying = 0.0
        poor = 0
        for u, _, get in prep.supporters[q]:
            values = get(self.money)
            if rho is None:
                paying += sum(values)
                poor += len(values)
            else:
                cap = rho * u
                low = [v for v in values if v < cap]
                paying += sum(low) + cap * (len(values) - len(low))
                poor += len(low)
        room = prep.cost[q] * (1 - TOL) - paying
        if room <= 0:
            return self.k - 1
        growth = self.capped + poor
        if growth == 0:
            return NEVER
        return self.k + math.floor(room / growth * (1 - 1e-12))

    def _recheck(self, watch: list[list[int]], rho: float | None) -> bool:
        """Renew the bounds run out at this step; False if one cannot be certified (the round must be searched)."""
        k = self.k
        for item in watch:
            if item[1] < k:
                item[1] = self._certified(item[0], rho)
                if item[1] < k:
                    return False
        return True

    def _funding(self, w: int, price: Price) -> None:
        """Add the round funding ``w`` now at ``price`` to the trail: who could beat it later, until when not."""
        prep = self.prep
        cost, total_u = prep.cost, prep.total_u
        rho = price[0] if price[1] is None else float(price[1])
        uncapped = all(min(get(self.money)) >= rho * u * (1 + TOL) for u, _, get in prep.supporters[w])
        cw, uw = cost[w], total_u[w]
        chosen = set(self.selected)
        watch: list[list[int]] = []
        for q in range(len(cost)):
            uq = total_u[q]
            if q == w or q in chosen or uq == 0:
                continue
            if uncapped:  # rho is w's floor exactly: compare floors exactly, ties go to the smaller index
                if cost[q] * uw > cw * uq or (cost[q] * uw == cw * uq and q > w):
                    continue
            elif cost[q] / uq > rho * (1 + TOL):
                continue
            watch.append([q, self.k - 1])  # certified when first needed: a later step may settle before
        self.trail.rounds.append(Round(w, watch, _until(watch)))

    def _ended(self) -> None:
        self.searched += 1
        chosen = set(self.selected)
        prep = self.prep
        end = [[q, self.k - 1] for q in range(len(prep.ids)) if prep.total_u[q] > 0 and q not in chosen]
        self.trail.end = end
        self.trail.end_until = _until(end)


def trail_completion(prep: Prepared, budget: int) -> tuple[int, FastRun]:
    """The completion's kept step ``k`` and its run, made in full (the steps are reused runs)."""
    base = Fraction(budget, prep.n)
    trail: Trail | None = None
    k, rounds = 1, 0
    while k <= budget:
        # the previous run's length hints when this one may settle: adding up money before that is mostly vain
        run = TrailRun(prep, base, k, trail, limit=budget, patience=rounds - 2)
        if not run.fits:
            break
        if run.replayed or run.searched:  # a free step (the whole trail held) says nothing about settling
            rounds = len(run.selected)
        trail = run.trail
        k += 1
    return k - 1, FastRun(prep, base + (k - 1))
