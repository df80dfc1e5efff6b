"""The tag index and a tag's page."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from forum.common.pagination import page_from_request
from forum.tag_pages import services
from forum.tags import services as tag_services
from forum.threads import links

TAGS_PER_PAGE_DEFAULT = 100
#: The query-string argument of the proposals' own pages on a tag page (the threads' is ``page``).
PROPOSALS_PAGE = "proposals_page"


def tag_index():
    """Every tag on a thread or proposal the viewer may see, most used first, with both counts."""
    per_page = current_app.config.get("TAGS_PER_PAGE", TAGS_PER_PAGE_DEFAULT)
    page = services.tag_index(current_user, page_from_request(), per_page)
    return render_template("tags/list.html", page=page)


def show(name: str):
    """The threads and the proposals carrying a tag; a differently written name redirects to its one address."""
    thread_number, proposal_number = page_from_request(), page_from_request(PROPOSALS_PAGE)
    canonical = tag_services.normalise(name)
    if canonical and canonical != name:
        args = {"page": thread_number if thread_number > 1 else None,
                PROPOSALS_PAGE: proposal_number if proposal_number > 1 else None}
        return redirect(url_for("tags.show", name=canonical, **args), code=301)
    found = services.tag_page(canonical, current_user, thread_number, proposal_number,
                              current_app.config["THREADS_PER_PAGE"])
    thread_links = links.links_for(thread.id for thread in found.threads.items)
    return render_template("tags/show.html", found=found, tag=found.tag, thread_links=thread_links,
                           proposals_arg=PROPOSALS_PAGE)
