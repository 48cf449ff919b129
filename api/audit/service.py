"""Write to and read the audit trail; there is deliberately no way to change or remove an event."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.audit.models import AuditEvent
from api.database.types import utcnow


def record(
    *,
    db_session: Session,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | int,
    details: dict | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add one event to the audit trail."""
    event = AuditEvent(
        at=at or utcnow(),
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=details or {},
    )
    db_session.add(event)
    return event


def for_subject(*, db_session: Session, subject_type: str, subject_id: str | int) -> list[AuditEvent]:
    """Return the events about one thing, oldest first."""
    return list(
        db_session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id == str(subject_id))
            .order_by(AuditEvent.id)
        )
    )
