"""Tag pages: the index of tags with the number of threads the viewer may see, and one tag's threads."""

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from forum.common.pagination import page_from_request
from forum.threads import links, listings

TAGS_PER_PAGE_DEFAULT = 100


def list():  # noqa: A001 - endpoint name tags.list
    """Every tag in use where the viewer can see it, most used first."""
    number = page_from_request()
    per_page = current_app.config.get("TAGS_PER_PAGE", TAGS_PER_PAGE_DEFAULT)
    page = listings.tag_counts(current_user, number, per_page)
    return render_template("tags/list.html", page=page)


def show(name: str):
    """The threads carrying a tag; a differently written name redirects to the tag's one address."""
    number = page_from_request()
    canonical = listings.canonical_tag_name(name)
    if canonical and canonical != name:
        args = {"page": number} if number > 1 else {}
        return redirect(url_for("tags.show", name=canonical, **args), code=301)
    tag = listings.get_tag(canonical)
    page = listings.tag_threads(tag, current_user, number, current_app.config["THREADS_PER_PAGE"])
    thread_links = links.links_for(thread.id for thread in page.items)
    return render_template("tags/show.html", tag=tag, page=page, thread_links=thread_links)
