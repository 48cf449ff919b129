"""What happens to a young person's message, whatever channel it came in on."""

import logging

from sqlalchemy.orm import Session

from api.conversations import service
from api.conversations.models import Conversation
from api.conversations.schemas import Reply, ReplyButton
from api.rasa_client import EngineUnavailable, RasaClient
from bot.messages import ENGINE_UNAVAILABLE

log = logging.getLogger(__name__)


def _buttons(raw: object) -> list[ReplyButton]:
    if not isinstance(raw, list):
        return []
    return [
        ReplyButton(title=str(b["title"]), payload=str(b["payload"]))
        for b in raw
        if isinstance(b, dict) and "title" in b and "payload" in b
    ]


def handle_inbound(
    *, db_session: Session, rasa: RasaClient, channel: str, external_key: str, text: str
) -> list[Reply]:
    """Store the message first, ask Rasa for the answer, store and return the replies."""
    conversation = service.get_or_create(
        db_session=db_session, channel=channel, external_key=external_key
    )
    inbound = service.add_inbound(db_session=db_session, conversation=conversation, text=text)
    db_session.commit()  # the message is kept even if everything after this fails

    try:
        raw_replies = rasa.send(sender=conversation.id, text=text, metadata={"channel": channel})
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

    author = "bot"
    if not replies:
        replies = [Reply(text=ENGINE_UNAVAILABLE)]
        author = "fallback"
    _store_replies(db_session=db_session, conversation=conversation, replies=replies, author=author)
    db_session.commit()
    return replies


def _store_replies(
    *, db_session: Session, conversation: Conversation, replies: list[Reply], author: str
) -> None:
    for reply in replies:
        service.add_outbound(
            db_session=db_session,
            conversation=conversation,
            text=reply.text,
            author=author,
            buttons=[b.model_dump() for b in reply.buttons],
        )
