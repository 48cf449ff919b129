"""Record assessments and open or grow escalations."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.conversations.models import Message
from api.database.types import utcnow
from api.escalation import paging
from api.escalation.models import SEVERITIES, Assessment, Escalation
from api.oncall.models import Person
from api.outbox import service as outbox


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


def _grow(
    *, db_session: Session, escalation: Escalation, severity: str, categories: list[str], now, notify: bool
) -> None:
    """Fold a further flagged message into an active escalation and tell whoever needs to know."""
    was = escalation.severity
    escalation.severity = higher_severity(was, severity)
    escalation.categories = sorted(set(escalation.categories) | set(categories))
    escalation.updated_at = now
    db_session.flush()
    if not notify:
        return
    if escalation.status == "open" and escalation.severity == "critical" and was != "critical":
        paging.raise_to_critical(db_session=db_session, escalation=escalation, now=now)
    elif escalation.status == "acknowledged" and escalation.acknowledged_by:
        worker = db_session.get(Person, escalation.acknowledged_by)
        if worker and worker.phone:
            # One nudge per minute at most; the words stay on the secure page.
            outbox.enqueue(
                db_session=db_session, kind="staff_reply", to_number=worker.phone, person_id=worker.id,
                escalation_id=escalation.id, now=now,
                dedupe_key=f"flagged:{escalation.id}:{now.strftime('%Y%m%d%H%M')}",
                body=f"Careline ref {escalation.reference}: a new message was flagged "
                f"({escalation.severity.upper()}). Open the alert link you were sent to see it.",
            )


def open_or_update(
    *,
    db_session: Session,
    conversation_id: str,
    severity: str,
    categories: list[str],
    now=None,
    notify: bool = True,
) -> Escalation:
    """Open an escalation for the conversation and start paging, or fold this disclosure into the active one."""
    now = now or utcnow()
    for attempt in range(OPEN_ATTEMPTS):
        escalation = get_active(db_session=db_session, conversation_id=conversation_id)
        if escalation is not None:
            _grow(
                db_session=db_session, escalation=escalation, severity=severity,
                categories=categories, now=now, notify=notify,
            )
            return escalation
        try:
            with db_session.begin_nested():
                escalation = Escalation(
                    conversation_id=conversation_id,
                    severity=severity,
                    categories=sorted(set(categories)),
                    opened_at=now,
                    updated_at=now,
                )
                db_session.add(escalation)
            paging.start_paging(db_session=db_session, escalation=escalation, now=now)
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
    # The api has normally opened it and paged already; the engine adds no second nudge.
    escalation = open_or_update(
        db_session=db_session, conversation_id=conversation_id, severity=severity,
        categories=categories, notify=False,
    )
    escalation.engine_confirmed_at = utcnow()
    db_session.flush()
    return escalation
