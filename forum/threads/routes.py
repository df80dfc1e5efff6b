"""Every URL the threads package serves, in one table.

Threads own the pages that list threads or posts: a group's page (its threads) and a person's profile (their
posts), besides the thread and post pages themselves (the tag pages list proposals too: ``forum.tag_pages``).
``create_app`` registers the two blueprints (and with them the template global ``Visibility``).
"""

from flask import Blueprint

from forum.threads import group_views, post_views, profile_views, reaction_views, views
from forum.threads.models import Visibility

bp = Blueprint("threads", __name__)
posts_bp = Blueprint("posts", __name__, url_prefix="/posts")

#: Templates compare states with the members: ``post.state == Visibility.HELD``.
bp.add_app_template_global(Visibility, "Visibility")
#: Lists of threads link to each one's latest post and a reader's first new one: ``thread_places(threads)``.
bp.add_app_template_global(views.thread_places, "thread_places")
#: Where a thread, post or comment is shown (a profile's posts link to the post itself): ``url_of(post)``.
bp.add_app_template_global(views.url_of, "url_of")

GET_POST = ["GET", "POST"]

bp.add_url_rule("/threads/<id:thread_id>/", view_func=views.show)
bp.add_url_rule("/threads/<id:thread_id>/<slug>", view_func=views.show)
bp.add_url_rule("/threads/<id:thread_id>/reply", view_func=views.reply, methods=GET_POST)
bp.add_url_rule("/groups/<slug>/", "group", view_func=group_views.show)
bp.add_url_rule("/groups/<slug>/threads/new", "start", view_func=views.new_thread, methods=GET_POST)
bp.add_url_rule("/users/<handle>/", "profile", view_func=profile_views.profile)

posts_bp.add_url_rule("/<id:post_id>/edit", view_func=post_views.edit, methods=GET_POST)
posts_bp.add_url_rule("/<id:post_id>/history", view_func=post_views.history)
posts_bp.add_url_rule("/<id:post_id>/withdraw", view_func=post_views.withdraw, methods=GET_POST)
posts_bp.add_url_rule("/<id:post_id>/comments", view_func=post_views.add_comment, methods=["POST"])
posts_bp.add_url_rule("/comments/<id:comment_id>/withdraw", view_func=post_views.withdraw_comment,
                      methods=GET_POST)

# Agreeing and bookmarks (forum.threads.reaction_views): POST buttons on the thread page, and one list page.
POST = ["POST"]
posts_bp.add_url_rule("/<id:post_id>/agree", "agree", view_func=reaction_views.agree, methods=POST)
posts_bp.add_url_rule("/<id:post_id>/agree/remove", "remove_agreement", view_func=reaction_views.remove_agreement,
                      methods=POST)
posts_bp.add_url_rule("/<id:post_id>/bookmark", "bookmark", view_func=reaction_views.bookmark_post, methods=POST)
posts_bp.add_url_rule("/<id:post_id>/bookmark/remove", "unbookmark", view_func=reaction_views.unbookmark_post,
                      methods=POST)
bp.add_url_rule("/threads/<id:thread_id>/bookmark", "bookmark", view_func=reaction_views.bookmark_thread,
                methods=POST)
bp.add_url_rule("/threads/<id:thread_id>/bookmark/remove", "unbookmark", view_func=reaction_views.unbookmark_thread,
                methods=POST)
bp.add_url_rule("/bookmarks", "bookmarks", view_func=reaction_views.list_bookmarks)
bp.add_url_rule("/bookmarks/<id:bookmark_id>/remove", "remove_bookmark", view_func=reaction_views.remove_bookmark,
                methods=POST)
