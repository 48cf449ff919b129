"""The audit trail only grows: the database refuses to change or remove an event."""

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError

from api.audit import service as audit
from api.audit.models import AuditEvent


def test_audit_events_cannot_be_edited_or_deleted(session):
    event = audit.record(db_session=session, actor="person:sam", action="escalation.acknowledged", subject_type="escalation", subject_id=1)
    session.commit()
    for statement in (
        update(AuditEvent).where(AuditEvent.id == event.id).values(actor="person:someone-else"),
        delete(AuditEvent).where(AuditEvent.id == event.id),
        text("DELETE FROM audit_event"),
    ):
        with pytest.raises(DatabaseError, match="the audit trail cannot be changed"):
            session.execute(statement)
        session.rollback()
    assert [e.actor for e in audit.for_subject(db_session=session, subject_type="escalation", subject_id=1)] == ["person:sam"]
