"""Texts from young people: take each one in once, in order, and queue the replies through the outbox."""

import logging
import re
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.config import Settings
from api.conversations import flows
from api.conversations import service as conversations
from api.conversations.models import Conversation, Message
from api.escalation.models import Assessment
from api.outbox import service as outbox
from api.sms import phones
from api.sms.models import DeletionRequest, InboundSms, SmsContact
from api.sms.segments import split_for_sms
from api.takeover import service as takeover_service
from api.webchat.schemas import CONTROL_CHARS
from bot.messages import (
    SMS_DELETE_QUEUED,
    SMS_EMPTY,
    SMS_HELP,
    SMS_MEDIA_ONLY,
    SMS_OPT_OUT_NOTICE,
    SMS_STARTED,
    SMS_STOPPED,
)

log = logging.getLogger(__name__)

# Carrier opt-out rules: these words alone stop every text; START and UNSTOP resume.
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "UNSTOP"}
HELP_WORDS = {"HELP", "INFO"}
DELETE_WORDS = {"DELETE"}
LEASE = timedelta(seconds=60)
STUCK = timedelta(seconds=60)  # a text still "receiving" after this lost its webhook mid-way
MESSAGE_SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")


def keyword(body: str) -> str | None:
    """Return stop, start, help or delete when the whole text is one of those words."""
    word = body.strip().strip(".!").upper().replace(" ", "")
    for name, words in (("stop", STOP_WORDS), ("start", START_WORDS), ("help", HELP_WORDS), ("delete", DELETE_WORDS)):
        if word in words:
            return name
    return None


def contact_for(*, db_session: Session, phone: str, settings: Settings) -> SmsContact:
    """Return the contact for this number, creating it and its conversation on first contact."""
    key = phones.phone_hash(phone, settings)
    contact = db_session.scalar(select(SmsContact).where(SmsContact.phone_hash == key))
    if contact is not None:
        return contact
    conversation = conversations.get_or_create(db_session=db_session, channel="sms", external_key=key)
    try:
        with db_session.begin_nested():
            contact = SmsContact(
                phone_hash=key, phone_encrypted=phones.encrypt(phone, settings), conversation_id=conversation.id
            )
            db_session.add(contact)
        return contact
    except IntegrityError:  # a second text from the same new number at the same moment
        return db_session.scalars(select(SmsContact).where(SmsContact.phone_hash == key)).one()


def _texts_last_minute(db_session: Session, contact: SmsContact, now: datetime) -> int:
    return db_session.scalar(
        select(func.count(InboundSms.id)).where(
            InboundSms.contact_id == contact.id, InboundSms.received_at > now - timedelta(minutes=1)
        )
    )


def receive(*, db_session: Session, settings: Settings, form: dict[str, str], now: datetime) -> InboundSms | None:
    """Store and assess a text before anything else; None when Twilio is retrying one we already have."""
    sid = form.get("MessageSid", "")
    if not MESSAGE_SID.match(sid):
        raise ValueError("MessageSid must be Twilio's id of the message")
    phone = phones.normalise(form.get("From", ""))
    if db_session.scalar(select(InboundSms.id).where(InboundSms.message_sid == sid)) is not None:
        return None
    contact = contact_for(db_session=db_session, phone=phone, settings=settings)
    body = CONTROL_CHARS.sub("", form.get("Body", "")).strip()
    try:
        num_media = max(0, int(form.get("NumMedia") or 0))
    except ValueError:
        num_media = 0
    word = keyword(body)
    kind = "keyword" if word else "text" if body else "media" if num_media else "empty"
    recent = _texts_last_minute(db_session, contact, now)
    # "receiving" until the text is assessed and sorted: no worker answers it before then.
    record = InboundSms(message_sid=sid, contact_id=contact.id, kind=kind, num_media=num_media, received_at=now, status="receiving")
    try:
        with db_session.begin_nested():
            db_session.add(record)
    except IntegrityError:
        return None  # the same retry raced us here

    def stored(message: Message) -> None:
        record.message_id = message.id  # committed with the message: a retry can never be stored twice

    intake = flows.take_in(db_session=db_session, channel="sms", external_key=contact.phone_hash, text=body, on_stored=stored)
    record.already_escalated = intake.already_escalated

    if word is not None:
        _keyword(db_session=db_session, contact=contact, word=word, now=now)
        record.status = "done"
    elif contact.blocked_at is not None:
        _quiet(record, "blocked")
    elif contact.opted_out_at is not None:
        _quiet(record, "opted_out")  # a disclosure was still escalated by take_in above
    elif intake.taken_over:
        _quiet(record, "taken_over")
    elif recent >= settings.sms_rate_limit_per_minute:
        _quiet(record, "rate_limited")
    elif kind in ("media", "empty"):
        say(db_session=db_session, contact=contact, texts=[SMS_MEDIA_ONLY if kind == "media" else SMS_EMPTY], author="system", now=now)
        record.status = "done"
    else:
        record.status = "pending"
    if intake.inbound.engine_status == "pending" and record.status != "pending":
        intake.inbound.engine_status = "not_sent"
    db_session.commit()
    return record


def _quiet(record: InboundSms, reason: str) -> None:
    record.status = "quiet"
    record.quiet_reason = reason


def _keyword(*, db_session: Session, contact: SmsContact, word: str, now: datetime) -> None:
    if word == "stop":
        contact.opted_out_at = now
        contact.opt_out_keyword = "STOP"
        say(db_session=db_session, contact=contact, texts=[SMS_STOPPED], author="system", now=now, even_if_opted_out=True)
    elif word == "start":
        contact.opted_out_at = None
        contact.welcomed_at = now  # the welcome back carries the opt-out notice itself
        say(db_session=db_session, contact=contact, texts=[SMS_STARTED], author="system", now=now)
    elif word == "help":
        say(db_session=db_session, contact=contact, texts=[SMS_HELP], author="system", now=now, even_if_opted_out=True)
    elif word == "delete":
        kept = db_session.scalar(
            select(func.count(Assessment.id))
            .join(Message, Message.id == Assessment.message_id)
            .where(Message.conversation_id == contact.conversation_id, Assessment.escalate.is_(True))
        )
        db_session.add(DeletionRequest(conversation_id=contact.conversation_id, requested_at=now, has_safeguarding_records=bool(kept)))
        say(db_session=db_session, contact=contact, texts=[SMS_DELETE_QUEUED], author="system", now=now)


def say(
    *,
    db_session: Session,
    contact: SmsContact,
    texts: list[str],
    author: str,
    now: datetime,
    even_if_opted_out: bool = False,
    stored: list[Message] | None = None,
) -> int:
    """Store replies (unless already stored) and queue them as texts that fit a phone; returns texts queued."""
    if stored is None:
        conversation = db_session.get(Conversation, contact.conversation_id)
        stored = [conversations.add_outbound(db_session=db_session, conversation=conversation, text=t, author=author) for t in texts]
    if contact.opted_out_at is not None and not even_if_opted_out:
        return 0
    parts = [(m.id, part) for m in stored for part in split_for_sms(m.text)]
    if contact.welcomed_at is None and contact.opted_out_at is None:
        contact.welcomed_at = now
        parts.append((stored[-1].id if stored else 0, SMS_OPT_OUT_NOTICE))
    for n, (message_id, part) in enumerate(parts):
        outbox.enqueue(
            db_session=db_session, kind="young_person", to_number="", body=part, sms_contact_id=contact.id,
            dedupe_key=f"yp:{message_id}:{n}", now=now,
        )
    db_session.flush()
    return len(parts)


def send_to_contact(*, db_session: Session, conversation: Conversation, message: Message, now: datetime) -> None:
    """Queue a message already stored for an SMS conversation (a worker's reply, a takeover notice)."""
    contact = db_session.scalar(select(SmsContact).where(SmsContact.conversation_id == conversation.id))
    if contact is not None:
        say(db_session=db_session, contact=contact, texts=[], author=message.author, now=now, stored=[message])


def claim_next(*, db_session: Session, now: datetime, limit: int = 10) -> list[int]:
    """Take the oldest unanswered text of each number (one per number, so a flood cannot starve others)."""
    open_rows = (
        select(func.min(InboundSms.id))
        .where(InboundSms.status.in_(("receiving", "pending", "processing")))
        .group_by(InboundSms.contact_id)
    )
    candidates = db_session.scalars(
        select(InboundSms).where(InboundSms.id.in_(open_rows)).order_by(InboundSms.id).limit(limit)
    ).all()
    claimed = []
    for record in candidates:
        if record.status == "processing" and record.lease_until and record.lease_until > now:
            continue  # another worker is answering this number now; its next text waits its turn
        if record.status == "receiving" and (record.message_id is None or record.received_at > now - STUCK):
            continue  # the webhook is still taking it in (or died before storing it: nothing to answer)
        taken = db_session.execute(
            update(InboundSms)
            .where(InboundSms.id == record.id, InboundSms.status == record.status)
            .values(status="processing", lease_until=now + LEASE)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 1:
            claimed.append(record.id)
    db_session.commit()
    return claimed


def answer_one(*, db_session: Session, rasa, inbound_id: int, now: datetime) -> int:
    """Ask Rasa about one claimed text and queue the replies; returns how many texts were queued."""
    record = db_session.get(InboundSms, inbound_id)
    message = db_session.get(Message, record.message_id)
    contact = db_session.get(SmsContact, record.contact_id)
    history = conversations.recent_inbound_texts(db_session=db_session, conversation_id=message.conversation_id, before_id=message.id)
    assessment = db_session.scalar(select(Assessment).where(Assessment.message_id == message.id))
    if assessment is None:  # the webhook died before assessing it: assess (and escalate) now
        found = flows.assess_and_record(db_session=db_session, message=message, history=history)
    else:
        found = {"escalate": assessment.escalate, "severity": assessment.severity,
                 "categories": assessment.categories, "evidence": assessment.evidence}
    intake = flows.Intake(
        conversation=message.conversation,
        inbound=message,
        history=history,
        assessment=found,
        already_escalated=record.already_escalated,
        taken_over=takeover_service.active_for(db_session=db_session, conversation_id=message.conversation_id) is not None,
    )
    replies = flows.answer(db_session=db_session, rasa=rasa, intake=intake)
    stored = [db_session.get(Message, reply.id) for reply in replies]
    queued = say(db_session=db_session, contact=contact, texts=[], author="bot", now=now, stored=stored) if stored else 0
    record.status = "done"
    record.answered_at = now
    record.lease_until = None
    db_session.commit()
    return queued


def block(*, db_session: Session, contact: SmsContact, person_id: str, reason: str, now: datetime) -> None:
    """A manager blocks an abusive number: its texts are still stored and assessed, never answered."""
    from api.audit import service as audit

    contact.blocked_at, contact.blocked_by, contact.block_reason = now, person_id, reason
    audit.record(
        db_session=db_session, actor=f"person:{person_id}", action="sms.number_blocked",
        subject_type="conversation", subject_id=contact.conversation_id, at=now, details={"reason": reason},
    )
    db_session.flush()
