"""Record assessments and open or grow escalations."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.conversations.models import Message
from api.database.types import utcnow
from api.escalation.models import SEVERITIES, Assessment, Escalation


def higher_severity(first: str, second: str) -> str:
    """Return the more severe of two severities."""
    return max(first, second, key=SEVERITIES.index)


def get_active(*, db_session: Session, conversation_id: str) -> Escalation | None:
    """Return the conversation's escalation that is not resolved yet, if any."""
    return db_session.scalar(
        select(Escalation).where(
            Escalation.conversation_id == conversation_id, Escalation.status != "resolved"
        )
    )


OPEN_ATTEMPTS = 3


def open_or_update(
    *, db_session: Session, conversation_id: str, severity: str, categories: list[str]
) -> Escalation:
    """Open an escalation for the conversation, or fold this disclosure into the active one."""
    for attempt in range(OPEN_ATTEMPTS):
        escalation = get_active(db_session=db_session, conversation_id=conversation_id)
        if escalation is not None:
            escalation.severity = higher_severity(escalation.severity, severity)
            escalation.categories = sorted(set(escalation.categories) | set(categories))
            escalation.updated_at = utcnow()
            db_session.flush()
            return escalation
        try:
            with db_session.begin_nested():
                escalation = Escalation(
                    conversation_id=conversation_id, severity=severity, categories=sorted(set(categories))
                )
                db_session.add(escalation)
            return escalation
        except IntegrityError:
            # Another message of the same conversation opened one at the same moment, or the
            # random reference is taken by another active escalation: look again, or draw anew.
            # Anything else (an unknown conversation) fails the same way every time.
            if attempt == OPEN_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def record_assessment(*, db_session: Session, message: Message, assessment: dict) -> Assessment:
    """Store the detector's assessment of a message and escalate it when it says so."""
    record = Assessment(
        message_id=message.id,
        escalate=bool(assessment["escalate"]),
        severity=assessment["severity"],
        categories=list(assessment["categories"]),
        evidence=list(assessment.get("evidence", [])),
    )
    if record.escalate:
        record.escalation = open_or_update(
            db_session=db_session,
            conversation_id=message.conversation_id,
            severity=record.severity,
            categories=record.categories,
        )
    db_session.add(record)
    db_session.flush()
    return record


def confirm_by_engine(
    *, db_session: Session, conversation_id: str, severity: str, categories: list[str]
) -> Escalation:
    """Note that Rasa's escalation action ran too, opening the escalation if the api had not."""
    escalation = open_or_update(
        db_session=db_session, conversation_id=conversation_id, severity=severity, categories=categories
    )
    escalation.engine_confirmed_at = utcnow()
    db_session.flush()
    return escalation
