"""What happens to a young person's message, whatever channel it came in on."""

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from api.conversations import service
from api.conversations.models import Conversation, Message
from api.conversations.schemas import Reply, ReplyButton
from api.escalation import service as escalation_service
from api.database.types import utcnow
from api.rasa_client import EngineUnavailable, RasaClient
from api.takeover import service as takeover_service
from bot.messages import (
    ENGINE_UNAVAILABLE,
    ESCALATION_FOLLOW_UP_REPLIES,
    ESCALATION_REPLIES,
    GENTLE_CHECK,
    NOT_UNDERSTOOD,
)
from bot.safeguarding import assess

log = logging.getLogger(__name__)
NOTHING_TO_ASSESS = {"escalate": False, "severity": "none", "categories": [], "evidence": []}


def _buttons(raw: object) -> list[ReplyButton]:
    if not isinstance(raw, list):
        return []
    return [
        ReplyButton(title=str(b["title"]), payload=str(b["payload"]))
        for b in raw
        if isinstance(b, dict) and "title" in b and "payload" in b
    ]


def assess_safely(text: str, *, history: list[str]) -> dict:
    """Assess a message; if the detector itself fails, fail safe and let a human look."""
    try:
        return assess(text, history=history).to_dict()
    except Exception:
        log.exception("safeguarding detector failed; escalating for a human to check")
        return {"escalate": True, "severity": "medium", "categories": [], "evidence": []}


def assess_and_record(*, db_session: Session, message: Message, history: list[str]) -> dict:
    """Assess a stored message, store the assessment and escalate if needed; commit."""
    text = message.text
    assessment = assess_safely(text, history=history) if text.strip() else dict(NOTHING_TO_ASSESS)
    escalation_service.record_assessment(db_session=db_session, message=message, assessment=assessment)
    db_session.commit()
    return assessment


def with_escalation_replies(replies: list[Reply], *, already_escalated: bool) -> list[Reply]:
    """Make sure a flagged message gets the escalation replies, whether or not Rasa sent them."""
    said = {reply.text for reply in replies}
    for expected in (ESCALATION_REPLIES, ESCALATION_FOLLOW_UP_REPLIES):
        if all(text in said for text in expected):
            return replies
    expected = ESCALATION_FOLLOW_UP_REPLIES if already_escalated else ESCALATION_REPLIES
    return [Reply(text=text) for text in expected]


def with_gentle_check(replies: list[Reply]) -> list[Reply]:
    """Add the gentle check after a "low" message: in place of Rasa's "I didn't get that", else after its answer."""
    understood = [reply for reply in replies if reply.text not in NOT_UNDERSTOOD]
    if len(understood) < len(replies):
        return [Reply(text=GENTLE_CHECK), *understood]
    return [*replies, Reply(text=GENTLE_CHECK)]


@dataclass
class Intake:
    """A young person's message once stored and assessed, before the engine has answered it."""

    conversation: Conversation
    inbound: Message
    history: list[str]
    assessment: dict
    already_escalated: bool
    taken_over: bool


def take_in(*, db_session: Session, channel: str, external_key: str, text: str, on_stored=None) -> Intake:
    """Store the message first, then assess it and escalate it, committing after each step.

    `on_stored(message)` runs before the first commit, so a channel's own record of the message
    is committed together with it.
    """
    conversation = service.get_or_create(
        db_session=db_session, channel=channel, external_key=external_key
    )
    history = service.recent_inbound_texts(db_session=db_session, conversation_id=conversation.id)
    inbound = service.add_inbound(db_session=db_session, conversation=conversation, text=text)
    if on_stored is not None:
        on_stored(inbound)
    db_session.commit()  # the message is kept even if everything after this fails

    # The api assesses every message itself, so a disclosure is escalated even if Rasa is down.
    already_escalated = (
        escalation_service.get_active(db_session=db_session, conversation_id=conversation.id) is not None
    )
    assessment = assess_and_record(db_session=db_session, message=inbound, history=history)

    # A duty worker has the conversation: the bot stays quiet and the worker is told.
    takeover = takeover_service.active_for(db_session=db_session, conversation_id=conversation.id)
    if takeover is not None:
        inbound.engine_status = "taken_over"
        takeover_service.nudge_worker(db_session=db_session, takeover=takeover, now=utcnow())
        db_session.commit()
    return Intake(conversation, inbound, history, assessment, already_escalated, takeover is not None)


def answer(*, db_session: Session, rasa: RasaClient, intake: Intake) -> list[Reply]:
    """Ask Rasa for the answer (or reply safely without it); store and return the replies."""
    if intake.taken_over:
        return []
    conversation, inbound, assessment = intake.conversation, intake.inbound, intake.assessment
    try:
        raw_replies = rasa.send(
            sender=conversation.id,
            text=inbound.text,
            metadata={"channel": conversation.channel, "history": intake.history},
        )
        replies = [
            Reply(text=str(r["text"]), buttons=_buttons(r.get("buttons")))
            for r in raw_replies
            if r.get("text")
        ]
        inbound.engine_status = "answered" if replies else "no_reply"
    except EngineUnavailable as error:
        log.warning("engine unavailable for conversation %s: %s", conversation.id, error)
        replies = []
        inbound.engine_status = "engine_unavailable"

    engine_replies = replies
    if assessment["escalate"]:
        replies = with_escalation_replies(replies, already_escalated=intake.already_escalated)
    if not replies:
        replies = [Reply(text=ENGINE_UNAVAILABLE)]
    author = "bot" if replies is engine_replies else "fallback"
    if assessment["severity"] == "low":
        replies = with_gentle_check(replies)
    replies = _store_replies(db_session=db_session, conversation=conversation, replies=replies, author=author)
    db_session.commit()
    return replies


def handle_inbound(
    *, db_session: Session, rasa: RasaClient, channel: str, external_key: str, text: str
) -> list[Reply]:
    """Take a message in and answer it at once (the web chat); SMS answers later, from the worker."""
    intake = take_in(db_session=db_session, channel=channel, external_key=external_key, text=text)
    return answer(db_session=db_session, rasa=rasa, intake=intake)


def _store_replies(
    *, db_session: Session, conversation: Conversation, replies: list[Reply], author: str
) -> list[Reply]:
    stored = []
    for reply in replies:
        message = service.add_outbound(
            db_session=db_session,
            conversation=conversation,
            text=reply.text,
            author=author,
            buttons=[b.model_dump() for b in reply.buttons],
        )
        stored.append(reply.model_copy(update={"id": message.id, "author": author}))
    return stored
