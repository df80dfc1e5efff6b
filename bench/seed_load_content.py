"""What bench/seed_load.py writes: people, groups, threads, posts, comments and budgets, as rows, with every
counter the services keep filled in as the services would have left it.

The denormalised columns, and where the services keep them (forum/threads/services.py):

- ``groups``: ``thread_count`` and ``post_count`` count the visible threads and their visible posts (opening posts
  included); ``member_count`` the active memberships; ``last_activity_at`` the latest post (comments do not move it);
- ``threads``: ``post_count`` every post (the next number is one more), ``visible_reply_count`` the shown replies,
  ``last_activity_at`` the latest post or comment, ``last_post_author_id`` the latest post's author;
- ``posts``: numbered 1.. within their thread; each has its first ``post_revisions`` row (the opening post's
  carries the thread's title); ``thread_tags`` links threads to up to five tags;
- budgets: ballots within the pot's money, one per voter per pot; the counted pot's ``budget_results`` and the
  proposals' selected / not selected come from ``count_and_store``; the search index from ``reindex_all``.

Everything here is visible (nothing held, hidden or withdrawn) and written by members of the group.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from werkzeug.security import generate_password_hash

from forum.common import markup
from forum.common.text import slugify
from forum.common.timefmt import utcnow

BENCH_PASSWORD = "bench-load-password"
GROUPS = [  # name, share of the threads; the first is the benchmark's group of 51 threads, the last two private
    ("Make a bigger difference", 0), ("Transport and streets", 14), ("Parks and green spaces", 9),
    ("Libraries", 6), ("Housing", 9), ("Schools and young people", 7), ("Neighbourhood services", 6),
    ("Bins and recycling", 6), ("Health and care", 5), ("Local economy", 5), ("Culture and events", 4),
    ("Safety", 4), ("Planning", 5), ("Climate action", 5), ("Community centres", 3), ("Older residents", 3),
    ("Digital inclusion", 2), ("Sport and leisure", 3), ("Council staff network", 1), ("Ward councillors", 1),
]
PRIVATE = {"Council staff network", "Ward councillors"}
BENCH_GROUP_THREADS = 51
LONG_THREAD_POSTS = 200
TAGS = ["transport", "parks", "libraries", "housing", "schools", "young people", "environment", "bins",
        "recycling", "health", "older people", "events", "safety", "planning", "energy", "cycling", "buses",
        "roads", "trees", "play areas", "green budget", "participatory budgeting", "digital inclusion", "sport",
        "markets", "community centres", "noise", "parking", "street lighting", "pavements", "flooding",
        "allotments", "volunteering", "jobs", "shops", "arts", "history", "dogs", "litter", "council tax"]
FIRST = ["Ann", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hassan", "Isla", "Jack", "Kiran", "Lena", "Mo",
         "Nia", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik", "Wen", "Yusuf", "Zoe"]
LAST = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones", "Khan",
        "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Reid", "Singh", "Taylor", "Walker", "Young"]
NOUNS = ["bus shelter", "playground", "library", "bin collection", "cycle lane", "pavement", "street light",
         "community centre", "park", "allotment", "youth club", "market", "car park", "crossing", "bus route",
         "recycling centre", "tree", "bench", "pothole", "school run", "swimming pool", "health centre",
         "budget", "proposal", "planning application", "flood defence", "noise", "litter", "dog walking area"]
VERBS = ["needs fixing", "works well", "closes too early", "should open at weekends", "is always full",
         "could be cheaper", "was repaired last week", "needs better lighting", "is hard to reach by bus",
         "deserves more money", "was discussed at the ward meeting", "is badly signposted"]
OPENERS = ["I think the", "Has anyone noticed that the", "Our", "Since the spring the", "The council says the",
           "Residents near the", "At the last meeting the", "Honestly, the", "My neighbour says the"]
CLOSERS = ["What do others think?", "Thanks for raising this.", "I agree with the points above.",
           "Could someone from the council reply?", "Let's put it forward for the budget.", "", ""]


def _sentence(chance: random.Random) -> str:
    return f"{chance.choice(OPENERS)} {chance.choice(NOUNS)} {chance.choice(VERBS)}."


def body_pool(chance: random.Random, size: int, sentences: tuple[int, int]) -> list[tuple[str, str]]:
    """``size`` texts (source, stored HTML), rendered by the app's one text pipeline."""
    pool = []
    for _ in range(size):
        paragraphs = [" ".join(_sentence(chance) for _ in range(chance.randint(*sentences)))
                      for _ in range(chance.randint(1, 3))]
        source = "\n\n".join(paragraphs + [chance.choice(CLOSERS)]).strip()
        pool.append((source, markup.render(source)))
    return pool


class ForumPlan:
    """The whole forum as rows, made in memory from one seeded random generator (same seed, same forum)."""

    def __init__(self, scale: float, seed: int) -> None:
        self.scale = scale
        self.chance = chance = random.Random(seed)
        self.now = utcnow().replace(microsecond=0)
        self.people = max(int(5_000 * scale), 200)
        self.thread_total = max(int(10_000 * scale), BENCH_GROUP_THREADS + len(GROUPS) * 3)
        self.post_total = max(int(200_000 * scale), LONG_THREAD_POSTS + self.thread_total * 2)
        self.comment_total = max(int(50_000 * scale), 500)
        self.password_hash = generate_password_hash(BENCH_PASSWORD)
        self.posts_pool = body_pool(chance, 1_500, (1, 4))
        self.comments_pool = body_pool(chance, 400, (1, 1))
        self._people()
        self._memberships()
        self._threads()
        self._content()

    # --- people and groups -------------------------------------------------------------------------------------

    def _people(self) -> None:
        """User 1 is an admin, 2-6 civil servants, 7-11 moderators, the rest residents."""
        self.users: list[tuple] = []
        seen: dict[str, int] = {}
        for uid in range(1, self.people + 1):
            name = f"{FIRST[uid % len(FIRST)]} {LAST[(uid // len(FIRST)) % len(LAST)]}"
            seen[name] = seen.get(name, 0) + 1
            name = name if seen[name] == 1 else f"{name} {seen[name]}"
            handle = slugify(name)
            role = "admin" if uid == 1 else "civil_servant" if uid <= 6 else "moderator" if uid <= 11 else "resident"
            joined = self.now - timedelta(days=800 + self.chance.randint(0, 400))
            self.users.append((uid, name, handle, f"{handle}@example.org", f"{handle}@example.org",
                               self.password_hash, role, "", "", joined, joined))

    def _memberships(self) -> None:
        chance = self.chance
        self.groups = [{"id": i, "name": name, "slug": slugify(name), "private": name in PRIVATE, "members": []}
                       for i, (name, _share) in enumerate(GROUPS, 1)]
        weights = [max(share, 1) for _name, share in GROUPS]
        self.memberships: list[tuple] = []
        # The signed-in people the benchmark uses: residents 12-111, all members of the benchmark's group.
        self.bench_people = list(range(12, min(112, self.people + 1)))
        for uid in range(12, self.people + 1):
            picks = {g["id"] for g in chance.choices(self.groups, weights, k=chance.randint(1, 4))}
            if uid in self.bench_people:
                picks.add(1)
            for gid in sorted(picks):
                self.groups[gid - 1]["members"].append(uid)
        for group in self.groups:
            moderators = chance.sample(range(12, self.people + 1), 2)
            for uid in group["members"]:
                role = "moderator" if uid in moderators else "member"
                self.memberships.append((len(self.memberships) + 1, group["id"], uid, role, "active",
                                         self.now - timedelta(days=700)))

    # --- threads, posts and comments ---------------------------------------------------------------------------

    def _post_counts(self) -> list[int]:
        """Posts per thread: the benchmark's thread has exactly 200, the others a long-tailed spread summing to
        the total, each between 1 and 180."""
        others = self.thread_total - 1
        spare = self.post_total - LONG_THREAD_POSTS - others
        weights = [self.chance.expovariate(1.0) ** 1.6 for _ in range(others)]
        total = sum(weights)
        counts = [1 + min(int(spare * w / total), 179) for w in weights]
        missing = self.post_total - LONG_THREAD_POSTS - sum(counts)
        while missing > 0:
            i = self.chance.randrange(others)
            if counts[i] < 180:
                counts[i] += 1
                missing -= 1
        return [LONG_THREAD_POSTS, *counts]

    def _threads(self) -> None:
        chance = self.chance
        counts = self._post_counts()
        shares = [share for _name, share in GROUPS[1:]]
        groups = [1] * BENCH_GROUP_THREADS + chance.choices(range(2, len(GROUPS) + 1), shares,
                                                            k=self.thread_total - BENCH_GROUP_THREADS)
        # The 200-post thread and the thread the reply benchmark writes in are both in the benchmark's group.
        self.specs = []
        tag_weights = [1 / (rank + 1) for rank in range(len(TAGS))]
        for index, (posts, gid) in enumerate(zip(counts, groups, strict=True)):
            tags = sorted(set(chance.choices(range(1, len(TAGS) + 1), tag_weights, k=chance.randint(0, 3))))
            title = f"{chance.choice(NOUNS).capitalize()} {chance.choice(VERBS)}"[:190]
            self.specs.append({"id": index + 1, "group": gid, "posts": posts, "tags": tags, "title": title,
                               "start": self.now - timedelta(days=chance.uniform(2, 700))})
        self.specs[0]["title"] = "Where should the Northfield budget go? (200 posts)"
        self.specs[1]["title"] = "Replies welcome: the benchmark writes here"
        self.long_thread, self.reply_thread = 1, 2

    def _content(self) -> None:
        """Posts (each with its revision), comments and every thread's and group's counters."""
        chance, now = self.chance, self.now
        self.posts: list[tuple] = []
        self.revisions: list[tuple] = []
        self.comments: list[tuple] = []
        self.threads: list[tuple] = []
        per_post_comments = self.comment_total / self.post_total
        totals = {g["id"]: [0, 0, None] for g in self.groups}  # threads, posts, last post time
        for spec in self.specs:
            members = self.groups[spec["group"] - 1]["members"]
            start: datetime = spec["start"]
            gaps = [chance.expovariate(1.0) for _ in range(spec["posts"])]
            span = min((now - start).total_seconds() - 120, spec["posts"] * 6 * 3600)
            scale = span / sum(gaps)
            moment, last_author, last_activity = start, None, start
            for number, gap in enumerate(gaps, 1):
                author = chance.choice(members)
                if number == 1:
                    spec["author"] = author
                source, html = chance.choice(self.posts_pool)
                post_id = len(self.posts) + 1
                self.posts.append((post_id, spec["id"], number, author, source, html, moment, 1, "visible"))
                self.revisions.append((post_id, post_id, 1, spec["title"] if number == 1 else None, source, html,
                                       moment, author))
                comments = int(per_post_comments) + (chance.random() < per_post_comments % 1)
                for _ in range(comments):
                    c_source, c_html = chance.choice(self.comments_pool)
                    when = min(moment + timedelta(minutes=chance.uniform(1, 90)), now - timedelta(seconds=30))
                    self.comments.append((len(self.comments) + 1, post_id, chance.choice(members), c_source, c_html,
                                          when, "visible"))
                    last_activity = max(last_activity, when)
                last_author, last_activity = author, max(last_activity, moment)
                last_post = moment
                moment = moment + timedelta(seconds=gap * scale)
            self.threads.append((spec["id"], spec["group"], spec["author"], spec["title"], slugify(spec["title"]),
                                 start, last_activity, last_author, spec["posts"], spec["posts"] - 1,
                                 spec["id"] % 97 == 0, False, "visible"))
            group = totals[spec["group"]]
            group[0] += 1
            group[1] += spec["posts"]
            group[2] = max(group[2] or last_post, last_post)
        self.group_totals = totals

    # --- output --------------------------------------------------------------------------------------------------

    def tables(self) -> Iterator[tuple[str, list[str], Any, int]]:
        """(table, columns, rows, row count) in the order foreign keys need."""
        yield ("users", ["id", "display_name", "handle", "email", "email_key", "password_hash", "role",
                         "bio_source", "bio_html", "created_at", "email_confirmed_at"],
               self.users, len(self.users))
        groups = []
        for g in self.groups:
            threads, posts, last = self.group_totals[g["id"]]
            summary = f"Talk about {g['name'].lower()} with your neighbours and the council."
            groups.append((g["id"], g["slug"], g["name"], summary, summary, f"<p>{summary}</p>", g["private"], False,
                           "", "", g["id"] * 10, self.now - timedelta(days=760), 1, threads, posts,
                           len(g["members"]), last))
        yield ("groups", ["id", "slug", "name", "summary", "description_source", "description_html", "is_private",
                          "premoderated", "rules_source", "rules_html", "position", "created_at", "created_by_id",
                          "thread_count", "post_count", "member_count", "last_activity_at"], groups, len(groups))
        yield ("memberships", ["id", "group_id", "user_id", "role", "status", "created_at"], self.memberships,
               len(self.memberships))
        yield "tags", ["id", "name"], list(enumerate(TAGS, 1)), len(TAGS)
        yield ("threads", ["id", "group_id", "author_id", "title", "slug", "created_at", "last_activity_at",
                           "last_post_author_id", "post_count", "visible_reply_count", "pinned", "locked", "state"],
               self.threads, len(self.threads))
        links = [(s["id"], tag) for s in self.specs for tag in s["tags"]]
        yield "thread_tags", ["thread_id", "tag_id"], links, len(links)
        yield ("posts", ["id", "thread_id", "number", "author_id", "body_source", "body_html", "created_at",
                         "revision_count", "state"], self.posts, len(self.posts))
        yield ("post_revisions", ["id", "post_id", "number", "title", "body_source", "body_html", "created_at",
                                  "editor_id"], self.revisions, len(self.revisions))
        yield ("comments", ["id", "post_id", "author_id", "body_source", "body_html", "created_at", "state"],
               self.comments, len(self.comments))

    def tables_with_ids(self) -> list[str]:
        return ["users", "groups", "memberships", "tags", "threads", "posts", "post_revisions", "comments"]

    def summary(self) -> str:
        return (f"{len(self.users):,} people, {len(self.groups)} groups, {len(self.threads):,} threads, "
                f"{len(self.posts):,} posts, {len(self.comments):,} comments")

    def manifest(self) -> dict[str, Any]:
        """What the benchmark asks for: its pages' places and its signed-in people."""
        big = max(self.groups[1:], key=lambda g: self.group_totals[g["id"]][0])
        handles = {u[0]: u[3] for u in self.users}
        return {
            "scale": self.scale, "people": len(self.users), "threads": len(self.threads), "posts": len(self.posts),
            "comments": len(self.comments), "password": BENCH_PASSWORD,
            "group": self.groups[0]["slug"], "group_threads": self.group_totals[1][0],
            "big_group": big["slug"], "big_group_threads": self.group_totals[big["id"]][0],
            "long_thread": self.long_thread, "long_thread_pages": -(-LONG_THREAD_POSTS // 20),
            "reply_thread": self.reply_thread, "tag": TAGS[0], "search": "swimming pool",
            "signed_in": [handles[uid] for uid in self.bench_people],
        }


def budget_rows(plan: ForumPlan, write: Callable[..., None]) -> dict[str, Any]:
    """Two budgets through the budgeting services (one voting with two pots, one counted), their proposals, and
    ``10,000 * scale`` ballots written in bulk, each within its pot's money; returns their manifest part."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.budgeting.models import Phase, ProposalStatus, ProposalThread
    from forum.budgeting.services import budgets as budget_services
    from forum.budgeting.services.results import count_and_store
    from forum.extensions import db
    from forum.tags.models import Tag

    chance, now = plan.chance, plan.now
    staff = db.session.get(User, 2)
    tags = list(db.session.scalars(select(Tag).order_by(Tag.id)))
    made = []
    for title, phase, pots in (("Northfield and Selly Oak 2027", Phase.VOTING, [10_000_000, 8_000_000]),
                               ("Green Neighbourhoods 2026", Phase.RESULTS, [15_000_000])):
        budget = budget_services.create_budget(
            title, f"Residents decide how **{title}** is spent.", created_by=staff, phase=phase, results_rule="mes",
            collecting_from=now - timedelta(days=90), review_from=now - timedelta(days=60),
            voting_from=now - timedelta(days=30), results_from=now + timedelta(days=10) if phase == Phase.VOTING
            else now - timedelta(days=2))
        for n, amount in enumerate(pots, 1):
            area = budget_services.create_area(f"{title} area {n}")
            pot = budget_services.create_pot(budget, area, f"{title}: area {n}", amount)
            proposals = []
            for p in range(1, (40 if phase == Phase.RESULTS else 30 if n == 1 else 20) + 1):
                cost = chance.randint(20, 400) * 10_000
                author = db.session.get(User, chance.choice(plan.bench_people))
                proposal = budget_services.create_proposal(
                    pot, f"{chance.choice(NOUNS).capitalize()} project {p}", cost, _sentence(chance), author)
                proposal.status = ProposalStatus.FEASIBLE
                proposal.location = f"Area {n}"
                proposal.tags = chance.sample(tags, 2)
                proposals.append(proposal)
            made.append((budget, pot, proposals))
    db.session.flush()
    for _budget, _pot, proposals in made[:1]:
        for proposal in proposals[:20]:
            db.session.add(ProposalThread(proposal_id=proposal.id, thread_id=chance.randint(3, plan.thread_total)))
    db.session.flush()

    ballots, choices = [], []
    per_pot = [int(10_000 * plan.scale) // 4, int(10_000 * plan.scale) // 4, int(10_000 * plan.scale) // 2]
    voters = list(range(12, len(plan.users) + 1))
    for (budget, pot, proposals), count in zip(made, per_pot, strict=True):
        costs = {p.id: p.cost_pence for p in proposals}
        for voter in chance.sample(voters, min(count, len(voters))):
            ballot_id = len(ballots) + 1
            when = budget.voting_from + timedelta(seconds=chance.uniform(0, 20 * 86_400))
            ballots.append((ballot_id, pot.id, voter, "online", when, when))
            spent, liked = 0, chance.sample(list(costs), chance.randint(1, 8))
            for proposal_id in liked:  # within the money: a ballot never spends more than the pot
                if spent + costs[proposal_id] <= pot.amount_pence:
                    spent += costs[proposal_id]
                    choices.append((ballot_id, proposal_id, 1))
    write(db.metadata.tables["budget_ballots"], ["id", "pot_id", "voter_id", "channel", "created_at", "updated_at"],
          ballots, len(ballots))
    write(db.metadata.tables["budget_ballot_choices"], ["ballot_id", "proposal_id", "points"], choices, len(choices))
    counted = made[-1][1]
    count_and_store(counted)
    voting = made[0]
    cheap = [p.id for p in sorted(voting[2], key=lambda p: p.cost_pence)[:3]]
    return {"budget": voting[0].slug, "voting_pot": voting[1].id, "ballot_choices": cheap,
            "results_pot": counted.id, "ballots": len(ballots)}
