"""Our budgeting rules against pabutools on the shared pabulib elections: same winners? how much faster?

Run from the repository root:  .venv/bin/python bench/budget_rules.py [--plain-profile] [--repeat N]

MES with completion on Wieliczka (Wieliczka's own rule), greedy on Warsaw-Wesoła and Zurich D10 (and MES with
completion on Zurich, cumulative ballots). Times are both wall-clock and CPU (``time.process_time``); the CPU
ratio is the fairer one on a busy machine. pabutools runs on a multiprofile (identical ballots merged), its
fastest setting; ``--plain-profile`` runs it on the profile ``parse_pabulib`` returns, several times slower.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum.budgeting.rules import (  # noqa: E402
    Election,
    Outcome,
    Utility,
    equal_shares_with_completion,
    greedy,
    read,
)
from tests.budgeting.pabutools_bridge import (  # noqa: E402
    SHARED,
    WESOLA,
    WIELICZKA,
    ZURICH,
    pabutools_greedy,
    pabutools_mes_completed,
    to_pabutools,
)


def winners(rule: Callable[[Election, Utility], Outcome], election: Election, utility: Utility) -> list[str]:
    return rule(election, utility).winners


def timed(function: Callable[[], list[str]]) -> tuple[list[str], float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plain-profile", action="store_true", help="run pabutools without merging ballots")
    parser.add_argument("--repeat", type=int, default=5, help="runs of ours (the median is reported)")
    args = parser.parse_args()
    cases = [
        (WIELICZKA, "MES + completion", Utility.COST, "mes"),
        (ZURICH, "MES + completion", Utility.POINTS, "mes"),
        (WESOLA, "greedy by votes", Utility.POINTS_COST, "greedy"),
        (ZURICH, "greedy by points", Utility.POINTS_COST, "greedy"),
    ]
    print(f"{'election':38} {'rule':17} {'winners':>7} {'same':>5} {'pabutools s (cpu)':>18} "
          f"{'ours s (cpu)':>15} {'ratio wall':>10} {'ratio cpu':>9}")
    all_same = True
    for name, label, utility, rule in cases:
        path = SHARED / name
        if not path.is_file():
            print(f"{name}: missing from {SHARED}", file=sys.stderr)
            return 2
        election = read(path)
        pabutools_rule, our_rule = (
            (pabutools_mes_completed, equal_shares_with_completion) if rule == "mes" else (pabutools_greedy, greedy)
        )
        # ours first, before pabutools' objects fill the memory (its garbage collector would walk them too)
        runs = [timed(partial(winners, our_rule, election, utility)) for _ in range(args.repeat)]
        instance, profile = to_pabutools(election)
        if not args.plain_profile:
            profile = profile.as_multiprofile()
        theirs, their_wall, their_cpu = timed(partial(pabutools_rule, election, utility, (instance, profile)))
        del instance, profile
        ours = runs[0][0]
        our_wall = statistics.median(r[1] for r in runs)
        our_cpu = statistics.median(r[2] for r in runs)
        same = ours == theirs
        all_same &= same
        print(f"{name:38} {label:17} {len(ours):7} {'yes' if same else 'NO':>5} "
              f"{their_wall:8.2f} ({their_cpu:7.2f}) {our_wall:6.3f} ({our_cpu:6.3f}) "
              f"{their_wall / our_wall:10.0f} {their_cpu / our_cpu:9.0f}", flush=True)
    print("identical winners on every election" if all_same else "WINNERS DIFFER")
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
