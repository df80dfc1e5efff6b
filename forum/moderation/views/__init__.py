"""The moderation and community pages; importing this package registers their routes on both blueprints."""

from forum.audit import models as _audit_models  # noqa: F401
from forum.common.timefmt import exact
from forum.moderation import bp
from forum.moderation import models as _models  # noqa: F401
from forum.moderation.services.items import title_of
from forum.moderation.views import (  # noqa: F401
    community,
    items,
    log,
    nav,
    people,
    queue,
    threads,
)

# How templates name an item ("post 4 in “Bins”") and print an exact time, on every moderation page.
bp.add_app_template_global(title_of, "item_title")
bp.add_app_template_global(exact, "exact_time")
bp.add_app_template_filter(lambda text: text[:1].upper() + text[1:], "capitalize_first")
