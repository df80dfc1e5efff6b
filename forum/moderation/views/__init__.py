"""The moderation pages; importing this package registers their routes on ``forum.moderation.bp``."""

from forum.audit import models as _audit_models  # noqa: F401
from forum.moderation import models as _models  # noqa: F401
