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

What keeps the steps cheap:

* *Free steps.* While every round's bound holds, a step has the previous outcome. It fits without looking at the
  end either if the winners plus every project whose end bound ran out still fit (nothing else can be funded).
  ``trail_completion`` skips such steps without making a run (:func:`_free_until`).
* *Checkpoint.* Rounds none of whose winners' supporters was capped have their floors as prices at every larger
  ``b`` (nobody is capped with more money), so the money after them is the old money plus the steps between: a
  replay starts there.
* *Renewing together.* A replayed round renews the bounds that run out within ``AHEAD`` steps too (the larger of
  the old and the new bound counts: both hold), and when only a few (``RENEW``) have run out a replay goes on past
  the point where its outcome is known to renew them: later steps are then free instead of replaying one round
  each time a bound runs out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from forum.budgeting.rules.mes_fast import FastRun, Price, Supporters
from forum.budgeting.rules.mes_run import TOL, Prepared

NEVER = 1 << 62  # "certified for ever": nothing to watch
AHEAD = 4  # a replayed round renews the bounds that run out within this many steps, so that renewals coincide
RENEW = 2  # a step renews the bounds that ran out past the point where its outcome is known, if no more than this


@dataclass
class Round:
    """One round of a trail: its winner, and the watched projects as ``[project, last certified step]``."""

    winner: int
    watch: list[list[int]]
    until: int
    poor: np.ndarray | None = None  # the winner's poor supporters when its price was last found by poor/rich
    rest: float = 0.0  # with ``poor``: the utility of the others (their weight), > 0


@dataclass
class Trail:
    """A run's rounds, and the projects left unfunded at its end with the last step each is surely unaffordable."""

    rounds: list[Round]
    end: list[list[int]] | None  # None: the run stopped once its outcome was known to fit (rounds are a prefix)
    end_until: int
    checkpoint: Checkpoint | None = None


@dataclass
class Checkpoint:
    """The money per type after the first ``rounds`` rounds of a run at step ``k``, when none of their winners'
    supporters was capped: at a later step with the same winners it is this money plus the steps between."""

    rounds: int
    money: np.ndarray
    k: int


def _until(watch: list[list[int]]) -> int:
    return min([w[1] for w in watch]) if watch else NEVER


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
        self.checkpoint: Checkpoint | None = None
        super().__init__(prep, base + k, limit)

    def _fund(self, w: int, price: Price) -> None:
        """As :meth:`FastRun._fund` without the details only a kept run shows (a trail run is never shown),
        keeping the checkpoint."""
        row = self.rows[w]
        self._fund_at(w, row, self.money[row.types], price)

    def _fund_at(
        self, w: int, row: Supporters, values: np.ndarray, price: Price, cap: np.ndarray | None = None
    ) -> None:
        """Fund ``w`` (its supporters holding ``values``) at ``price``; ``cap``, when given, is ``rho u`` at that
        price and some supporter is known to pay all they have."""
        if cap is None:
            rho_f, rho_x = price
            self._pay(row, values, (rho_f if rho_x is None else float(rho_x)) * row.utility)
        else:
            self._pay(row, values, cap, capped=True)
        rho_x = price[1]
        self.spent += self.prep.cost[w]
        self.selected.append(w)
        self.exact_rho.append(rho_x)
        if not self.capped_any:
            self.checkpoint = Checkpoint(len(self.selected), self.money.copy(), self.k)

    def _resume(self, old: Trail, first: int) -> int:
        """Start from the previous trail's checkpoint if its rounds all still hold (``first`` is the first that
        may not); the rounds it skips."""
        point = old.checkpoint
        if point is None or point.rounds > first:
            return 0
        self.money = point.money + (self.k - point.k)
        rounds = old.rounds[:point.rounds]
        self.selected = [r.winner for r in rounds]
        floors, cost = self.floors, self.prep.cost
        self.exact_rho = [floors[w] for w in self.selected]
        self.spent = sum([cost[w] for w in self.selected])
        self.trail.rounds.extend(rounds)
        self.checkpoint = point  # the same money plus the steps between, at any later step
        return point.rounds

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
        stale = [i for i, r in enumerate(old.rounds) if r.until < k]
        renew_end = False
        if old.end is not None and not stale:
            # the same rounds: free if the end holds too, or if even what may have become affordable would fit
            self.selected = [r.winner for r in old.rounds]
            self.spent = self.cost
            if old.end_until >= k or self._fits_anyway(old.end):
                self.trail = old
                return
            self.selected = []
            self.spent = 0
            renew_end = True  # only the end stands in the way: replay every round to renew it (no stop when settled)
        rounds = self.trail.rounds
        start = self._resume(old, stale[0] if stale else len(old.rounds))
        # stopping once the outcome is known to fit leaves the bounds after as they were: when few have run out,
        # renewing them first (replaying further) pays, as the next steps may then be free
        renew = len(stale) <= RENEW
        last_stale = stale[-1] if stale and renew else -1
        renew_end = renew_end or (renew and old.end is not None and old.end_until < k)
        rows, cost = self.rows, self.prep.cost
        for i, r in enumerate(old.rounds[start:], start):
            w = r.winner
            row = rows[w]
            values = self.money[row.types]
            cap = None
            hint = r.poor
            if hint is not None:
                # the poor supporters at the step before: if they still are, the price follows (money only grew
                # since, so the project stays affordable: no need to add up what its supporters hold)
                rho = (cost[w] - float((values if row.single else values * row.voters).dot(hint))) / r.rest
                cap = rho * row.utility
                if np.count_nonzero((values < cap) ^ hint):
                    cap = None
                else:
                    price: Price | None = (rho, None)
            if cap is None:
                self.poor = None
                price = self._price_of(w, row, values)
                r.poor = poor = self.poor
                if poor is not None:
                    r.rest = self.prep.total_u[w] - float(row.weight.dot(poor))
                    if r.rest <= 0 or not np.count_nonzero(poor):
                        r.poor = None
            assert price is not None, "money only grew since this project was affordable"
            self.replayed += 1
            if r.until < k + AHEAD:
                if not self._recheck(r.watch, price[0] if price[1] is None else float(price[1])):
                    break
                r.until = _until(r.watch)
            self._fund_at(w, row, values, price, cap)
            rounds.append(r)
            if i >= last_stale and not renew_end and self._settled():  # known to fit: later rounds kept as they were
                self.trail = Trail(rounds + old.rounds[i + 1:], old.end, old.end_until, self.checkpoint)
                return
        else:
            if old.end is not None:
                if old.end_until < k + AHEAD:
                    self._recheck_end(old.end)
                    old.end_until = _until(old.end)
                if old.end_until >= k or self._fits_anyway(old.end):
                    self.trail = Trail(rounds, old.end, old.end_until, self.checkpoint)
                    return
        self.searching = True
        self._search()

    def _fits_anyway(self, end: list[list[int]]) -> bool:
        """With all the rounds of the trail funded: does the outcome fit even if every project left that is not
        certified unaffordable at this step were funded too? (Then it fits whatever the end.)"""
        limit, k, cost = self.limit, self.k, self.prep.cost
        if limit is None or self.spent + sum([cost[q] for q, until in end if until < k]) > limit:
            return False
        self.fits = True
        return True

    def _certified(self, q: int, rho: float) -> int:
        """The last step at which ``q`` certainly cannot beat a winner at price ``rho``, by the bound in the
        module docstring; ``k - 1`` when not even now."""
        row = self.rows[q]
        values = self.money[row.types]
        cap = rho * row.utility
        paying = float(np.minimum(values, cap).dot(row.voters))
        return self._bound(q, paying, int(row.voters.dot(values < cap)))

    def _bound(self, q: int, paying: float, poor: int) -> int:
        """The last step at which ``paying`` (what ``poor`` of ``q``'s supporters paying all they have and the
        others pay) certainly stays under ``q``'s cost."""
        room = self.prep.cost[q] * (1 - TOL) - paying
        if room <= 0:
            return self.k - 1
        if not poor:
            return NEVER
        return self.k + math.floor(room / (self.capped + poor) * (1 - 1e-12))

    def _recheck_end(self, end: list[list[int]]) -> None:
        """Renew the end's bounds that run out within ``AHEAD`` steps: the projects left unfunded that cannot be
        funded (their supporters, all paying all they have, hold less than their cost)."""
        due = [item for item in end if item[1] < self.k + AHEAD]
        if not due:
            return
        available = self._available() if len(due) > 2 else None  # one pass over every project's supporters
        voters = self.prep.voters
        for item in due:
            q = item[0]
            if available is None:
                row = self.rows[q]
                held = float(self.money[row.types].dot(row.voters))
            else:
                held = float(available[q])
            item[1] = max(item[1], self._bound(q, held, voters[q]))

    def _recheck(self, watch: list[list[int]], rho: float | None) -> bool:
        """Renew the bounds that run out within ``AHEAD`` steps (renewing them together saves replays later);
        False if one cannot be certified now (the round must be searched)."""
        k = self.k
        for item in watch:
            if item[1] < k + AHEAD:
                item[1] = max(item[1], self._certified(item[0], rho))
                if item[1] < k:
                    return False
        return True

    def _funding(self, w: int, price: Price) -> None:
        """Add the round funding ``w`` now at ``price`` to the trail: who could beat it later, until when not."""
        prep = self.prep
        cost, total_u = prep.cost, prep.total_u
        rho = price[0] if price[1] is None else float(price[1])
        row = self.rows[w]
        uncapped = not np.count_nonzero(self.money[row.types] < row.utility * (rho * (1 + TOL)))
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
        self.trail.checkpoint = self.checkpoint


def _free_until(trail: Trail, k: int, cost: list[int], budget: int) -> int:
    """The last step from ``k`` on at which the whole trail certainly holds and its outcome fits (``k - 1``: not
    even at ``k``): the same steps :meth:`TrailRun._follow` would find free, without making a run for each."""
    if trail.end is None or not trail.rounds:
        return k - 1
    last = min(r.until for r in trail.rounds)
    if last < k:
        return k - 1
    if trail.end_until >= last:
        return last
    spent = sum(cost[r.winner] for r in trail.rounds)
    expired = sorted((until, cost[q]) for q, until in trail.end)  # past its step, a project may be affordable
    free, i = k - 1, 0
    for step in range(k, last + 1):
        while i < len(expired) and expired[i][0] < step:
            spent += expired[i][1]
            i += 1
        if spent > budget:
            break
        free = step
    return free


def trail_completion(prep: Prepared, budget: int) -> tuple[int, FastRun]:
    """The completion's kept step ``k`` and its run, made in full (the steps are reused runs)."""
    base = Fraction(budget, prep.n)
    trail: Trail | None = None
    k, rounds = 1, 0
    while k <= budget:
        if trail is not None:
            k = min(_free_until(trail, k, prep.cost, budget), budget) + 1  # steps that need no run
            if k > budget:
                break
        # the previous run's length hints when this one may settle: adding up money before that is mostly vain
        run = TrailRun(prep, base, k, trail, limit=budget, patience=rounds - 2)
        if not run.fits:
            break
        if run.replayed or run.searched:  # a free step (the whole trail held) says nothing about settling
            rounds = len(run.selected)
        trail = run.trail
        k += 1
    return k - 1, FastRun(prep, base + (k - 1))
