"""The moderation pages; importing this package registers their routes on ``forum.moderation.bp`` and
``community_bp``, and connects the queue to ``threads.signals.content_held`` (through ``services.review``)."""

from forum.audit import models as _audit_models  # noqa: F401
from forum.moderation import models as _models  # noqa: F401
from forum.moderation.services import review as _review  # noqa: F401
