"""Every URL the home package serves: the home page and the pages the law and residents expect."""

from flask import Blueprint

from forum.home import info_pages, views

bp = Blueprint("home", __name__)

bp.add_url_rule("/", view_func=views.index)
for _name in info_pages.PAGES:
    bp.add_url_rule(f"/{_name}", f"info_{_name}", view_func=views.info_page, defaults={"name": _name})
