"""Who gets what from every route: the authorisation matrix's decisions (issue 14).

One entry per endpoint in ``app.url_map`` (except ``static`` and the GOV.UK ``assets``), saying for each actor what
a GET gets and, for a route that accepts POST, what a POST gets. ``tests/security/test_authorisation_matrix.py``
requests every route as every actor against one world and fails on any difference, on an endpoint without a
decision here, and on a decision whose endpoint is gone. The decisions are the product's intent, taken from
docs/groups.md, docs/moderation-matrix.md, docs/budgeting.md and docs/accounts.md, not copied from the responses.

The world (see the test): group-level routes are asked about a **private** group, its thread, the member's reply
and comment, so that "cannot read it" (404) and "may read it but not do this" (403) are both exercised. The
*member* and the *group moderator* belong to it; the *other group's moderator* moderates a public group only;
the *resident* and the *civil servant* belong to no group. Budget routes are asked about a budget collecting
proposals (the member's proposal), a pot open for voting and a counted pot with a funded proposal.

A new route: add its decision here from what the product should do (the docs above), never from what the test
reports. A cell that is knowingly wrong in the product keeps the intended value with a ``# BUG:`` comment saying
what happens instead, so the test stays red until it is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTORS = ("anonymous", "resident", "member", "civil_servant", "other_group_moderator", "group_moderator",
          "site_moderator", "admin")

ALLOW = "allow"  # a 2xx, or a 3xx to somewhere other than the sign-in page
SIGN_IN = "sign in"  # a redirect to the sign-in page
FORBIDDEN = "403"
NOT_FOUND = "404"  # what the person may not know exists (a private group's things, someone else's things)
REFUSALS = (SIGN_IN, FORBIDDEN, NOT_FOUND)
# Let through, and changes nothing: removing a bookmark one does not have (a POST only; checked like a refusal).
NO_EFFECT = "allow, changes nothing"

Outcomes = dict[str, str]


def outcomes(default: str, anonymous: str = SIGN_IN, **special: str) -> Outcomes:
    """Every signed-in actor gets ``default`` unless named in ``special``; anonymous visitors get ``anonymous``."""
    unknown = set(special) - set(ACTORS)
    assert not unknown, f"unknown actors {unknown}"
    return {"anonymous": anonymous} | {actor: default for actor in ACTORS[1:]} | special


def only(*actors: str, refused: str = FORBIDDEN, anonymous: str = SIGN_IN) -> Outcomes:
    """Only these signed-in actors are allowed; the others get ``refused``."""
    return outcomes(refused, anonymous=anonymous, **{actor: ALLOW for actor in actors})


PUBLIC = outcomes(ALLOW, anonymous=ALLOW)
SIGNED_IN = outcomes(ALLOW)
ADMIN_ONLY = only("admin")
# Budget staff (Role.BUDGET_STAFF): site moderators moderate conversation, they do not run budgets.
STAFF = only("civil_servant", "admin")
SITE_MODERATORS = only("site_moderator", "admin")
ANY_MODERATOR = only("other_group_moderator", "group_moderator", "site_moderator", "admin")
# Who may read the private group: its members and moderators, site moderators and admins; to anyone else it
# does not exist (docs/groups.md), signed in or not.
READERS = ("member", "group_moderator", "site_moderator", "admin")
PRIVATE_READERS = only(*READERS, refused=NOT_FOUND, anonymous=NOT_FOUND)
# An action on the private group's things: readers may act; others cannot know it exists; anonymous: sign in.
PRIVATE_SIGNED_IN_READERS = only(*READERS, refused=NOT_FOUND)
# The private group moderated: its moderators, site moderators and admins; its members get a 403.
PRIVATE_MODERATORS = only("group_moderator", "site_moderator", "admin", refused=NOT_FOUND) | {"member": FORBIDDEN}
# The groups package answers everyone who cannot read a private group with its 404, signed in or not.
GROUP_MODERATORS = PRIVATE_MODERATORS | {"anonymous": NOT_FOUND}
# Only the member (the author or owner of the thing asked about); anyone else gets ``refused``.
AUTHOR_ONLY = only("member")
# The moderation pages about the private group's items and threads (docs/moderation-matrix.md): people with no
# moderation role get a 403, the other group's moderator a 404 (a private group they cannot read).
MODERATION_OF_PRIVATE_ITEM = only("group_moderator", "site_moderator", "admin") | {"other_group_moderator": NOT_FOUND}
# Private things of one person's (a notification, a bookmark): a 404 to everyone else.
OWNER_ONLY = only("member", refused=NOT_FOUND)


# The signed-in people who cannot read the private group, where an action does nothing for them.
NOT_READING = {"resident": NO_EFFECT, "civil_servant": NO_EFFECT, "other_group_moderator": NO_EFFECT}


@dataclass(frozen=True)
class Decision:
    """What GET and POST get. ``get``/``post`` are None when the route does not take that method. ``args`` maps a
    URL argument to a key of the world's values where the default one (``ARGUMENTS`` in the test) is not the thing
    to ask about; ``query`` is added to the URL; ``data`` is the POST's form."""

    get: Outcomes | None
    post: Outcomes | None = None
    args: dict[str, str] = field(default_factory=dict)
    query: str = ""
    data: dict[str, str] = field(default_factory=dict)


def page(outcome: Outcomes, **kwargs) -> Decision:
    """A page that only shows (GET)."""
    return Decision(outcome, None, **kwargs)


def form(outcome: Outcomes, post: Outcomes | None = None, **kwargs) -> Decision:
    """A page with a form: the POST is decided as the GET unless said otherwise."""
    return Decision(outcome, outcome if post is None else post, **kwargs)


def action(outcome: Outcomes, **kwargs) -> Decision:
    """A button (POST only)."""
    return Decision(None, outcome, **kwargs)


COUNTED = {"pot_id": "counted_pot_id"}
FUNDED = {"proposal_id": "funded_proposal_id"}
AREA = {"slug": "area_slug"}

DECISIONS: dict[str, Decision] = {
    # --- accounts and the person's own data (docs/accounts.md) --------------------------------------------------
    "accounts.register": form(PUBLIC),
    "accounts.login": form(PUBLIC),
    "accounts.logout": form(PUBLIC),
    "accounts.reset_request": form(PUBLIC),
    # Links sent by email: whoever holds the link may use it, signed in or not.
    "accounts.reset_password": form(PUBLIC, args={"token": "reset_token"}),
    "accounts.confirm_email": form(PUBLIC, args={"token": "email_token"}),
    # The registration link's one button confirms the new account and signs its holder in.
    "accounts.confirm_registration": form(PUBLIC, args={"token": "registration_token"}),
    "accounts.account": form(SIGNED_IN),
    "accounts.change_password": form(SIGNED_IN),
    "accounts.sign_out_everywhere": action(SIGNED_IN),
    "accounts.change_name": form(SIGNED_IN),
    "accounts.change_email": form(SIGNED_IN),
    "account_data.download": form(SIGNED_IN),
    "account_data.delete": form(SIGNED_IN),
    "accounts.admin_users": page(ADMIN_ONLY),
    "accounts.admin_user": form(ADMIN_ONLY),
    "accounts.outbox": page(ADMIN_ONLY),
    "accounts.outbox_send_again": action(ADMIN_ONLY),
    # --- home and the pages the law asks for ------------------------------------------------------------------
    "home.index": page(PUBLIC),
    "home.info_accessibility": page(PUBLIC),
    "home.info_contact": page(PUBLIC),
    "home.info_cookies": page(PUBLIC),
    "home.info_privacy": page(PUBLIC),
    "search.search": page(PUBLIC, query="q=benches"),
    "tags.list": page(PUBLIC),
    # The tag is only on the private group's thread: a tag nobody may see does not exist for them.
    "tags.show": page(PRIVATE_READERS),
    "threads.profile": page(PUBLIC),
    "threads.bookmarks": page(SIGNED_IN),
    # Removes the person's own bookmark with that id, if any: nobody else's.
    "threads.remove_bookmark": action(outcomes(NO_EFFECT, member=ALLOW)),
    # --- feeds: public, visible content only (docs/feeds.md): a private group's are a 404 to everyone ---------------
    "feeds.site": page(PUBLIC),
    "feeds.tag": page(outcomes(NOT_FOUND, anonymous=NOT_FOUND)),
    "feeds.group": page(outcomes(NOT_FOUND, anonymous=NOT_FOUND)),
    "feeds.thread": page(outcomes(NOT_FOUND, anonymous=NOT_FOUND)),
    # --- groups (docs/groups.md), asked about the private group ---------------------------------------------------
    "groups.list": page(PUBLIC),
    "groups.create": form(ADMIN_ONLY),
    "groups.edit": form(GROUP_MODERATORS | {"site_moderator": FORBIDDEN}),
    "groups.members": page(PRIVATE_READERS),
    "groups.join": action(PRIVATE_READERS),
    # (A GET by a non-member used to redirect for an existing private group and 404 for a missing one.)
    "groups.leave": form(PRIVATE_READERS),
    # Holders of an invitation link see the group's name and summary and may ask to join (signing in first).
    "groups.ask_to_join": page(PUBLIC, query="invite={invite_token}"),
    "groups.requests": page(GROUP_MODERATORS),
    "groups.add_member": action(GROUP_MODERATORS),
    "groups.approve": action(GROUP_MODERATORS),
    "groups.reject": action(GROUP_MODERATORS, args={"membership_id": "other_request_id"}),
    # Only admins appoint group moderators: the role is checked first, for any group.
    "groups.set_role": action(ADMIN_ONLY),
    # --- threads, posts and comments in the private group ----------------------------------------------------------
    "threads.group": page(PRIVATE_READERS),
    "threads.show": page(PRIVATE_READERS),
    "threads.start": form(PRIVATE_SIGNED_IN_READERS),
    "threads.reply": form(PRIVATE_SIGNED_IN_READERS),
    "threads.bookmark": action(PRIVATE_SIGNED_IN_READERS),
    # Removing a bookmark works on a thread one can no longer read (it removes only one's own).
    "threads.unbookmark": action(PRIVATE_SIGNED_IN_READERS | NOT_READING),
    "posts.add_comment": action(PRIVATE_SIGNED_IN_READERS),
    "posts.bookmark": action(PRIVATE_SIGNED_IN_READERS),
    "posts.unbookmark": action(PRIVATE_SIGNED_IN_READERS | NOT_READING),
    # One does not agree with one's own post (the member wrote it).
    "posts.agree": action(PRIVATE_SIGNED_IN_READERS | {"member": FORBIDDEN}),
    "posts.remove_agreement": action(PRIVATE_SIGNED_IN_READERS | {"member": FORBIDDEN}),
    "posts.edit": form(AUTHOR_ONLY | {"resident": NOT_FOUND, "civil_servant": NOT_FOUND,
                                      "other_group_moderator": NOT_FOUND}),
    "posts.withdraw": form(AUTHOR_ONLY | {"resident": NOT_FOUND, "civil_servant": NOT_FOUND,
                                          "other_group_moderator": NOT_FOUND}),
    "posts.withdraw_comment": form(AUTHOR_ONLY | {"resident": NOT_FOUND, "civil_servant": NOT_FOUND,
                                                  "other_group_moderator": NOT_FOUND}),
    # The revisions: the author and whoever moderates the group.
    "posts.history": page(PRIVATE_MODERATORS | {"member": ALLOW}),
    # --- community: flags, warnings, house rules ----------------------------------------------------------------
    "community.rules": page(PUBLIC),
    "community.my_flags": page(SIGNED_IN),
    "community.my_warnings": page(SIGNED_IN),
    "community.flag": form(PRIVATE_SIGNED_IN_READERS),
    # --- notifications ---------------------------------------------------------------------------------------
    "notifications.index": page(SIGNED_IN),
    "notifications.settings": form(SIGNED_IN),
    "notifications.read_all": action(SIGNED_IN),
    "notifications.open": page(OWNER_ONLY),
    "notifications.unsubscribe": form(PUBLIC, args={"token": "unsubscribe_token"}),
    "notifications.watch_group": action(PRIVATE_SIGNED_IN_READERS, data={"level": "watching"}),
    "notifications.watch_thread": action(PRIVATE_SIGNED_IN_READERS, data={"level": "watching"}),
    # --- moderation (docs/moderation-matrix.md, the private group's column) -----------------------------------------
    "moderation.queue": page(ANY_MODERATOR),
    "moderation.log": page(ANY_MODERATOR),
    "moderation.person": page(ANY_MODERATOR),
    "moderation.item": page(MODERATION_OF_PRIVATE_ITEM),
    "moderation.approve": action(MODERATION_OF_PRIVATE_ITEM),
    "moderation.hide": action(MODERATION_OF_PRIVATE_ITEM, data={"reason": "Breaks rule 1"}),
    "moderation.restore": action(MODERATION_OF_PRIVATE_ITEM),
    "moderation.bulk": action(MODERATION_OF_PRIVATE_ITEM, data={"items": "post-{post_id}", "action": "approve"}),
    "moderation.thread": page(MODERATION_OF_PRIVATE_ITEM),
    "moderation.thread_toggle": action(MODERATION_OF_PRIVATE_ITEM),
    "moderation.move": action(MODERATION_OF_PRIVATE_ITEM, data={"group": "{group_id}"}),
    "moderation.retag": action(MODERATION_OF_PRIVATE_ITEM, data={"tags": "benches, ponds"}),
    "moderation.warn": action(MODERATION_OF_PRIVATE_ITEM,
                              data={"warn_group": "{group_id}", "warn_reason": "Please keep to the topic"}),
    "moderation.suspend": action(SITE_MODERATORS, data={"days": "1", "suspend_reason": "Repeated spam"}),
    "moderation.lift": action(SITE_MODERATORS),
    # --- participatory budgeting (docs/budgeting.md) -----------------------------------------------------------
    "budgeting.index": page(PUBLIC),
    "budgeting.show": page(PUBLIC),
    "budgeting.proposals": page(PUBLIC),
    "budgeting.proposal": page(PUBLIC),
    "budgeting.results": page(PUBLIC, args=COUNTED),
    "budgeting.results_export": page(PUBLIC, args=COUNTED),
    "budgeting.count_status": page(PUBLIC, args=COUNTED),
    "budgeting.new": form(STAFF),
    "budgeting.edit": form(STAFF),
    "budgeting.new_pot": form(STAFF),
    "budgeting.move_phase": form(STAFF, query="to=review"),
    "budgeting.review_proposal": form(STAFF),
    "budgeting.new_delivery_update": form(STAFF, args=FUNDED),
    "budgeting.count_pot": form(STAFF, args=COUNTED),
    "budgeting.paper_ballots": page(STAFF),
    "budgeting.new_paper_ballot": form(STAFF),
    "budgeting.areas": page(STAFF),
    "budgeting.verify_residents": form(STAFF, args=AREA),
    "budgeting.verification_codes": form(STAFF, args=AREA),
    "budgeting.revoke_verification": form(STAFF, args=AREA),
    "budgeting.unlink_thread": action(STAFF),
    # Proposing, discussing, linking one's own threads, voting and entering a code: anyone signed in.
    "budgeting.new_proposal": form(SIGNED_IN),
    "budgeting.discuss_proposal": form(SIGNED_IN),
    "budgeting.link_thread": form(SIGNED_IN),
    "budgeting.enter_code": form(SIGNED_IN),
    # Anyone sees a pot's ballot; voting needs an account.
    "budgeting.ballot": form(PUBLIC, post=SIGNED_IN),
    "budgeting.ballot_confirmation": page(SIGNED_IN),
    # The author's own proposal, while the budget collects proposals.
    "budgeting.edit_proposal": form(AUTHOR_ONLY),
    "budgeting.withdraw_proposal": form(AUTHOR_ONLY),
    # --- the count of a place (docs/places.md): public figures and open data; budget staff load them ----------
    "places.index": page(PUBLIC),
    "places.area": page(PUBLIC, args=AREA),
    "places.spending_csv": page(PUBLIC, args=AREA),
    "places.population_csv": page(PUBLIC, args=AREA),
    "places.count_json": page(PUBLIC, args=AREA),
    "places.import_count": form(STAFF),
    # Discussing a line of the count, as a proposal (anyone signed in; the groups and threads rules apply).
    "places.discuss_line": form(SIGNED_IN),
    "places.link_line_thread": form(SIGNED_IN),
}
