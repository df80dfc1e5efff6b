"""Threads, their posts (with every revision kept), the short comments beneath posts, and tag pages."""

from flask import Blueprint

bp = Blueprint("threads", __name__, url_prefix="/threads")
tags_bp = Blueprint("tags", __name__, url_prefix="/tags")
posts_bp = Blueprint("posts", __name__, url_prefix="/posts")
