"""Profiles, which list a person's groups and recent posts (they live here because they list posts)."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from forum.threads import listings


def profile(handle: str):
    """A person's public profile: name, role badge, bio, groups and recent posts. Never their email."""
    canonical = listings.canonical_handle(handle)
    if canonical:
        return redirect(url_for("threads.profile", handle=canonical), code=301)
    person = listings.user_by_handle(handle)
    return render_template(
        "accounts/profile.html",
        person=person,
        groups=listings.profile_groups(person, current_user),
        posts=listings.recent_posts(person, current_user),
    )
