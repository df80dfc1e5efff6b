"""The tag pages' URLs. The blueprint keeps the name "tags" (endpoints ``tags.list`` and ``tags.show``), so every
``url_for`` and the tag links of ``_macros/forum.html`` keep working."""

from flask import Blueprint

from forum.tag_pages import views

bp = Blueprint("tags", __name__, url_prefix="/tags")

bp.add_url_rule("/", "list", view_func=views.tag_index)
bp.add_url_rule("/<path:name>/", "show", view_func=views.show)
