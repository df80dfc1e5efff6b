"""The count of a place's URLs (issue 15)."""

from flask import Blueprint

from forum.common import errors
from forum.places import views
from forum.threads import links

bp = Blueprint("places", __name__, url_prefix="/places")

GET_POST = ["GET", "POST"]
#: A count of a city runs to thousands of lines: the import takes up to 10 MB (every other form: MAX_CONTENT_LENGTH).
errors.allow_larger_body("places.import_count", 10 * 1024 * 1024)
bp.add_url_rule("/", "index", view_func=views.index)
bp.add_url_rule("/import", "import_count", view_func=views.import_count, methods=GET_POST)
bp.add_url_rule("/<slug>/", "area", view_func=views.area)
bp.add_url_rule("/<slug>/spending.csv", "spending_csv", view_func=views.spending_csv)
bp.add_url_rule("/<slug>/population.csv", "population_csv", view_func=views.population_csv)
bp.add_url_rule("/<slug>/count.json", "count_json", view_func=views.count_json)
bp.add_url_rule("/lines/<id:line_id>/discuss", "discuss_line", view_func=views.discuss_line, methods=GET_POST)
bp.add_url_rule("/lines/<id:line_id>/link", "link_line_thread", view_func=views.link_line_thread, methods=GET_POST)
links.register(views.line_links)  # the thread page shows the figures of the lines a thread discusses
