"""Many people at once against gunicorn with 4 worker processes (as the README deploys it), on SQLite (WAL) and
on PostgreSQL: 50 replying in one thread, 200 voters casting and then changing ballots, 50 flagging the same
five posts. Every request of a round is released together by a barrier. Afterwards every accepted write is
stored exactly once, every counter equals a recount, no ballot is over its pot, and no one got a server error
or "database is locked" (nor did the server's log show one). And what gthread workers add, several requests in
one process: text rendered in many threads at once comes out as written."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from forum.common import markup
from forum.threads.models import Visibility
from tests.load import world
from tests.load.clients import Answer, Client, Form, all_at_once, problems
from tests.load.conftest import Site

REPLIERS = 50
FLAGGERS = 50
FLAG_HIDE_THRESHOLD = 3  # forum/config.py: three people's flags hide a post at once


def assert_clean_log(site: Site) -> None:
    log = site.server.log()
    assert "database is locked" not in log.lower() and "Traceback" not in log, log[-5000:]


def forms_of(people: list[Client], path: str) -> list[Form]:
    """Each person opens the page (not at once: only the sending is timed to collide)."""
    with ThreadPoolExecutor(max_workers=20) as pool:
        found = list(pool.map(lambda c: c.form(path), people))
    missing = [(page.status, page.body[:300]) for page, form in found if form is None]
    assert not missing, missing[:3]
    return [form for _, form in found]


def test_fifty_people_replying_at_once_are_each_stored_once_and_counted(site: Site) -> None:
    marker = uuid.uuid4().hex[:8]
    people = site.people[:REPLIERS]
    path = f"/threads/{site.world.thread_id}/reply"
    forms = forms_of(people, path)
    texts = [f"Reply {marker} from loader {n}." for n in range(REPLIERS)]
    answers = all_at_once([lambda c=c, f=f, t=t: c.request(path, f.filled({"body": t}))
                           for c, f, t in zip(people, forms, texts, strict=True)])
    assert not problems(answers), problems(answers)
    assert [a.status for a in answers] == [302] * REPLIERS, [str(a) for a in answers if a.status != 302]
    with site.rows():
        stored = world.bodies_in(site.world.thread_id)
        assert {t: stored[t] for t in texts} == {t: 1 for t in texts}
        assert sum(n for body, n in stored.items() if marker in body) == REPLIERS
        # Each reply's page text is its own, never another's rendered at the same moment.
        pages = world.html_in(site.world.thread_id)
        assert [t for t in texts if t not in pages.get(t, "")] == []
        states = world.states_in(site.world.thread_id)
        # People who posted before are published at once; new people's first posts wait for a moderator.
        assert [states[t] for t in texts] == ([Visibility.VISIBLE] * world.ESTABLISHED
                                              + [Visibility.HELD] * (REPLIERS - world.ESTABLISHED))
        assert world.counter_drift() == []
    assert_clean_log(site)


def test_text_rendered_in_many_threads_at_once_comes_out_as_written() -> None:
    """What a gthread worker does with 4 requests at once, in one process: every text rendered is its own.
    (A ``bleach.Cleaner`` shared by the threads gave empty, cut or mixed HTML, or raised.)"""
    def render_many(n: int) -> list[str]:
        wrong = []
        for k in range(150):
            text = f"Post {n}-{k} with *emphasis* and a link https://example.org/{n}/{k} to read."
            html = markup.render(text)
            if f"Post {n}-{k} with <em>emphasis</em>" not in html or f'href="https://example.org/{n}/{k}"' not in html:
                wrong.append(html)
        return wrong

    results = all_at_once([lambda n=n: render_many(n) for n in range(8)])
    assert [html for wrong in results for html in wrong] == []


def _ballot(site: Site, n: int) -> tuple[set[int], set[int] | None]:
    """Voter ``n``'s first ballot and the change they then send: within the pot, except that every tenth
    voter tries to change to every proposal at once, more than the pot holds (refused: the first one stays)."""
    ids = sorted(site.world.proposal_costs, key=site.world.proposal_costs.get, reverse=True)  # 40k, 30k, ... 10k
    within = [{0, 1, 4}, {0, 2, 4}, {1, 2, 3}, {0, 3, 4}, {2, 3, 4}, {0, 1}, {3}, {1, 3, 4}]
    first = {ids[i] for i in within[n % len(within)]}
    change = None if n % 10 == 9 else {ids[i] for i in within[(n + 3) % len(within)]}
    return first, change


def _send_ballot(client: Client, path: str, form: Form, chosen: set[int]) -> Answer:
    return client.request(path, form.filled({"chosen": [str(c) for c in sorted(chosen)]}, ("action", "cast")))


def test_two_hundred_voters_casting_and_changing_at_once_leave_one_ballot_each_within_the_pot(site: Site) -> None:
    path = f"/budgets/pots/{site.world.pot_id}/ballot"
    plans = [_ballot(site, n) for n in range(world.PEOPLE)]
    forms = forms_of(site.people, path)
    on_the_page = sorted(int(v) for v in forms[0].button_values("add"))
    assert on_the_page == sorted(site.world.proposal_costs)
    cast = all_at_once([lambda c=c, f=f, p=p: _send_ballot(c, path, f, p[0])
                        for c, f, p in zip(site.people, forms, plans, strict=True)])
    assert not problems(cast), problems(cast)
    assert [a.status for a in cast] == [302] * world.PEOPLE, [str(a) for a in cast if a.status != 302]

    # The page shows each voter the ballot they cast (looked at for every tenth voter, to keep the run short).
    looked = forms_of(site.people[::10], path)
    assert [{int(v) for v in f.values("chosen")} for f in looked] == [first for first, _ in plans[::10]]
    everything = set(site.world.proposal_costs)
    changed = all_at_once([lambda c=c, f=f, p=p: _send_ballot(c, path, f, p[1] or everything)
                           for c, f, p in zip(site.people, forms, plans, strict=True)])
    assert not problems(changed), problems(changed)
    statuses = [a.status for a in changed]
    assert statuses == [302 if change else 200 for _, change in plans], [str(a) for a in changed]
    refusals = [a.body for a, (_, change) in zip(changed, plans, strict=True) if change is None]
    assert all("more than the £80,000 in this pot" in body for body in refusals), refusals[0][:2000]

    with site.rows():
        ids = world.user_ids(site.world.emails)
        stored = world.ballots_in(site.world.pot_id)
        expected = {ids[email]: change or first
                    for email, (first, change) in zip(site.world.emails, plans, strict=True)}
        assert stored == expected
        costs, pot = world.proposal_pence(site.world.pot_id), world.pot_pence(site.world.pot_id)
        assert max(sum(costs[p] for p in chosen) for chosen in stored.values()) <= pot
        assert world.counter_drift() == []
    assert_clean_log(site)


def test_fifty_people_flagging_five_posts_at_once_count_each_flag_once_and_hide_each_post_once(site: Site) -> None:
    targets = site.world.flag_post_ids
    flaggers = list(range(50, 50 + FLAGGERS))
    paths = [f"/community/flag/post/{targets[n % len(targets)]}" for n in range(FLAGGERS)]
    people = [site.people[n] for n in flaggers]
    with ThreadPoolExecutor(max_workers=20) as pool:
        forms = [form for _, form in pool.map(lambda pair: pair[0].form(pair[1]), zip(people, paths, strict=True))]
    assert all(forms), "a flag form is missing"
    reason = forms[0].radios["reason"][0]
    answers = all_at_once([lambda c=c, f=f, p=p: c.request(p, f.filled({"reason": reason, "note": "At once."}))
                           for c, f, p in zip(people, forms, paths, strict=True)])
    assert not problems(answers), problems(answers)
    # Accepted (a redirect back to the post), or, once three flags have hidden the post, not found any more.
    assert {a.status for a in answers} <= {302, 404}, [str(a) for a in answers]

    with site.rows():
        ids = world.user_ids(site.world.emails)
        for n, post_id in enumerate(targets):
            accepted = sorted(ids[site.world.emails[flaggers[k]]] for k, a in enumerate(answers)
                              if a.status == 302 and k % len(targets) == n)
            assert sorted(world.flags_on(post_id)) == accepted
            assert len(accepted) >= FLAG_HIDE_THRESHOLD
            assert world.auto_hides(post_id) == 1
        assert set(world.post_states(targets).values()) == {Visibility.HIDDEN}
        assert world.counter_drift() == []
    assert_clean_log(site)
