"""Start, use and end a worker's takeover of a conversation."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.conversations import service as conversations
from api.conversations.models import Conversation, Message
from api.escalation import paging
from api.escalation.models import Escalation
from api.oncall.models import Person
from api.outbox import service as outbox
from api.takeover.models import Takeover
from bot.messages import takeover_ended_idle, takeover_handed_back, takeover_started


def active_for(*, db_session: Session, conversation_id: str) -> Takeover | None:
    """Return the conversation's active takeover, if a worker has it."""
    return db_session.scalar(
        select(Takeover).where(Takeover.conversation_id == conversation_id, Takeover.ended_at.is_(None))
    )


def _say(*, db_session: Session, conversation: Conversation, text: str, author: str) -> Message:
    return conversations.send_to_young_person(
        db_session=db_session, conversation=conversation, text=text, author=author
    )


def start(*, db_session: Session, escalation: Escalation, person: Person, now: datetime) -> Takeover:
    """The worker takes the conversation over; the young person is told a real person is there."""
    if escalation.status == "resolved":
        raise ValueError("this escalation is resolved")
    if escalation.status == "open":
        paging.acknowledge(db_session=db_session, escalation=escalation, person=person, via="takeover", now=now)
    current = active_for(db_session=db_session, conversation_id=escalation.conversation_id)
    if current is not None:
        if current.person_id != person.id:
            raise ValueError(f"{current.person.name} already has this conversation")
        return current
    try:
        with db_session.begin_nested():
            takeover = Takeover(
                conversation_id=escalation.conversation_id,
                escalation_id=escalation.id,
                person_id=person.id,
                started_at=now,
                last_staff_at=now,
            )
            db_session.add(takeover)
    except IntegrityError:
        raise ValueError("someone else took this conversation over a moment ago") from None
    conversation = db_session.get(Conversation, escalation.conversation_id)
    _say(db_session=db_session, conversation=conversation, text=takeover_started(person.name), author="system")
    audit.record(
        db_session=db_session, actor=f"person:{person.id}", action="takeover.started",
        subject_type="conversation", subject_id=conversation.id, at=now,
        details={"escalation": escalation.id},
    )
    return takeover


def staff_reply(*, db_session: Session, takeover: Takeover, text: str, now: datetime) -> Message:
    """Send the worker's words to the young person on their channel."""
    text = text.strip()
    if not text:
        raise ValueError("the reply is empty")
    if takeover.ended_at is not None:
        raise ValueError("this conversation went back to the bot; take it over again to reply")
    takeover.last_staff_at = now
    conversation = db_session.get(Conversation, takeover.conversation_id)
    message = _say(db_session=db_session, conversation=conversation, text=text, author="staff")
    audit.record(
        db_session=db_session, actor=f"person:{takeover.person_id}", action="takeover.replied",
        subject_type="conversation", subject_id=conversation.id, at=now, details={"message": message.id},
    )
    return message


def end(*, db_session: Session, takeover: Takeover, reason: str, now: datetime, actor: str) -> None:
    """Give the conversation back to the bot and tell the young person."""
    if takeover.ended_at is not None:
        return
    takeover.ended_at = now
    takeover.end_reason = reason
    conversation = db_session.get(Conversation, takeover.conversation_id)
    words = takeover_ended_idle() if reason == "idle" else takeover_handed_back(takeover.person.name)
    _say(db_session=db_session, conversation=conversation, text=words, author="system")
    audit.record(
        db_session=db_session, actor=actor, action="takeover.ended",
        subject_type="conversation", subject_id=conversation.id, at=now, details={"reason": reason},
    )


def end_idle(*, db_session: Session, now: datetime, idle_seconds: int) -> int:
    """Hand back every takeover whose worker has been silent too long; the worker is told by SMS."""
    cutoff = now - timedelta(seconds=idle_seconds)
    idle = db_session.scalars(
        select(Takeover).where(Takeover.ended_at.is_(None), Takeover.last_staff_at < cutoff)
    ).all()
    for takeover in idle:
        end(db_session=db_session, takeover=takeover, reason="idle", now=now, actor="system")
        escalation = db_session.get(Escalation, takeover.escalation_id)
        if takeover.person.phone:
            outbox.enqueue(
                db_session=db_session, kind="staff_reply", to_number=takeover.person.phone,
                person_id=takeover.person_id, escalation_id=escalation.id,
                dedupe_key=f"takeover-idle:{takeover.id}", now=now,
                body=f"Careline ref {escalation.reference}: no reply from you for {idle_seconds // 60} min, "
                "so the young person is back with the bot. Open your alert link to take over again.",
            )
    db_session.commit()
    return len(idle)


def nudge_worker(*, db_session: Session, takeover: Takeover, now: datetime) -> None:
    """Tell the worker by SMS that the young person wrote; the words stay on the secure page."""
    if not takeover.person.phone:
        return
    escalation = db_session.get(Escalation, takeover.escalation_id)
    outbox.enqueue(
        db_session=db_session, kind="staff_reply", to_number=takeover.person.phone,
        person_id=takeover.person_id, escalation_id=escalation.id, now=now,
        dedupe_key=f"takeover-msg:{takeover.id}:{now.strftime('%Y%m%d%H%M')}",
        body=f"Careline ref {escalation.reference}: the young person has replied. Open your alert link to read it.",
    )
