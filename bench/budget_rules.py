"""Our budgeting rules against pabutools on every shared pabulib election: same winners? how much faster?

Run from the repository root:  .venv/bin/python bench/budget_rules.py [--only NAME] [--repeat N] [--plain-profile]
    [--ours-only] [--synthetic] [--write-expected tests/budgeting/data/mes_expected.json]

For every file in ../shared/pabulib that our reader reads (approval and cumulative ballots): MES with completion
(Wieliczka's rule: cost utility for approval, points for cumulative) and greedy by votes (points). Times are CPU
seconds (``time.process_time``; ours: the best of ``--repeat`` runs), the fair measure on a busy machine. pabutools
runs on a multiprofile (identical ballots merged), its fastest setting; ``--plain-profile`` runs it on the plain
profile. pabutools takes minutes on the larger files: ``--only NAME`` (a part of the file name) picks files,
``--ours-only`` skips pabutools (for Łódź: hours). ``--write-expected`` merges pabutools' MES-with-completion
winners into the JSON fixture the tests compare with. ``--synthetic`` adds generated look-alikes of the small
Amsterdam districts (approval, 20 to 40 projects, budget 100,000, 219 and 426 voters), where the completion reruns
MES hundreds of times (``--only synthetic`` runs just those).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum.budgeting.rules import (  # noqa: E402
    Ballot,
    Election,
    PabulibError,
    Project,
    Utility,
    equal_shares_with_completion,
    greedy,
    read,
)
from forum.budgeting.rules.equal_shares import default_utility  # noqa: E402
from tests.budgeting.pabutools_bridge import (  # noqa: E402
    SHARED,
    pabutools_greedy,
    pabutools_mes_completed,
    to_pabutools,
)


def best_cpu(function: Callable[[], list[str]], repeat: int) -> tuple[list[str], float]:
    best, result = float("inf"), []
    for _ in range(repeat):
        cpu = time.process_time()
        result = function()
        best = min(best, time.process_time() - cpu)
    return result, best


def lookalike(voters: int, projects: int, seed: int) -> Election:
    """An approval election shaped like Amsterdam's small districts: a few popular projects, 1 to 8 per ballot."""
    rng = random.Random(seed)
    costs = [rng.choice([5, 8, 10, 12, 15, 20, 25, 30, 40]) * 1000 + rng.randrange(1000) for _ in range(projects)]
    listed = [Project(str(1000 + i), cost) for i, cost in enumerate(costs)]
    popularity = [rng.paretovariate(1.2) for _ in listed]
    ballots = []
    for v in range(voters):
        size = rng.randint(1, min(8, projects))
        chosen: set[int] = set()
        while len(chosen) < size:
            chosen.add(rng.choices(range(projects), popularity)[0])
        ballots.append(Ballot.approving(f"v{v}", [listed[i].id for i in sorted(chosen)]))
    return Election(listed, 100_000, ballots)


SYNTHETIC = [(voters, 20 + seed * 5 % 21, seed) for voters in (219, 426) for seed in range(4)]


def elections(args: argparse.Namespace) -> list[tuple[str, Election | PabulibError]]:
    """The shared files picked by ``--only`` (or why one cannot be read), then the look-alikes if asked."""
    found: list[tuple[str, Election | PabulibError]] = []
    for path in sorted(SHARED.glob("*.pb")):
        if not args.only or any(part in path.name for part in args.only):
            try:
                found.append((path.name, read(path)))
            except PabulibError as error:
                found.append((path.name, error))
    if args.synthetic:
        for voters, projects, seed in SYNTHETIC:
            name = f"synthetic_{voters}v_{projects}p_seed{seed}"
            if not args.only or any(part in name for part in args.only):
                found.append((name, lookalike(voters, projects, seed)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="only files whose name contains this")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours (the best is reported)")
    parser.add_argument("--plain-profile", action="store_true", help="run pabutools without merging ballots")
    parser.add_argument("--ours-only", action="store_true", help="do not run pabutools")
    parser.add_argument("--synthetic", action="store_true", help="add generated look-alikes of small districts")
    parser.add_argument("--write-expected", type=Path, help="merge pabutools' MES+completion winners into this JSON")
    args = parser.parse_args()
    print(f"{'election':38} {'voters':>6} {'rule':16} {'winners':>7} {'same':>5} "
          f"{'pabutools cpu s':>15} {'ours cpu s':>10} {'ratio':>6}", flush=True)
    all_same = True
    expected: dict[str, list[str]] = {}
    for name, election in elections(args):
        if isinstance(election, PabulibError):
            print(f"{name:38} skipped: {election}", flush=True)
            continue
        utility = default_utility(election)
        cases: list[tuple[str, Callable[[Election], list[str]], Callable[..., list[str]], Utility]] = [
            ("MES + completion", lambda e, u=utility: equal_shares_with_completion(e, u).winners,
             pabutools_mes_completed, utility),
            ("greedy", lambda e: greedy(e, Utility.POINTS_COST).winners, pabutools_greedy, Utility.POINTS_COST),
        ]
        for label, ours_rule, their_rule, their_utility in cases:
            ours, our_cpu = best_cpu(lambda r=ours_rule, e=election: r(e), args.repeat)
            if args.ours_only:
                print(f"{name:38} {len(election.ballots):6} {label:16} {len(ours):7} {'-':>5} {'-':>15} "
                      f"{our_cpu:10.3f} {'-':>6}", flush=True)
                continue
            instance, profile = to_pabutools(election)
            if not args.plain_profile:
                profile = profile.as_multiprofile()
            cpu = time.process_time()
            theirs = their_rule(election, their_utility, (instance, profile))
            their_cpu = time.process_time() - cpu
            del instance, profile
            same = ours == theirs
            all_same &= same
            if label.startswith("MES"):
                expected[name] = theirs
            print(f"{name:38} {len(election.ballots):6} {label:16} {len(ours):7} {'yes' if same else 'NO':>5} "
                  f"{their_cpu:15.2f} {our_cpu:10.3f} {their_cpu / our_cpu:6.0f}", flush=True)
    if args.write_expected and expected:
        data = json.loads(args.write_expected.read_text()) if args.write_expected.is_file() else {}
        data.setdefault("winners", {}).update(expected)
        args.write_expected.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    if not args.ours_only:
        print("identical winners on every election" if all_same else "WINNERS DIFFER")
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
