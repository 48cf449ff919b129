"""Every table, imported in one place so Alembic and tests see the whole schema."""

from api.conversations.models import Conversation, Message  # noqa: F401
from api.database.core import Base  # noqa: F401
from api.escalation.models import Assessment, Escalation  # noqa: F401
