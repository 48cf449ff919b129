"""Every table, imported in one place so Alembic and tests see the whole schema."""

from api.conversations.models import Conversation, Message  # noqa: F401
from api.database.core import Base  # noqa: F401
from api.audit.models import AuditEvent  # noqa: F401
from api.escalation.models import Assessment, Escalation, EscalationStep  # noqa: F401
from api.oncall.models import Person, Shift, Team, TeamManager  # noqa: F401
from api.outbox.models import Notification, NotificationAttempt, WorkerHeartbeat  # noqa: F401
from api.takeover.models import Takeover  # noqa: F401
from api.sms.models import DeletionRequest, InboundSms, SmsContact  # noqa: F401
from api.staff.models import Assignment, StaffSession, StaffUser  # noqa: F401
