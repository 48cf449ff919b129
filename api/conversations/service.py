"""Store and read conversations and messages."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.conversations.models import Conversation, Message
from api.database.types import utcnow


def get_by_external_key(*, db_session: Session, channel: str, external_key: str) -> Conversation | None:
    """Return the conversation a channel knows by this key, if any."""
    return db_session.scalar(
        select(Conversation).where(
            Conversation.channel == channel, Conversation.external_key == external_key
        )
    )


def get_or_create(*, db_session: Session, channel: str, external_key: str) -> Conversation:
    """Return the conversation for this channel key, creating it on first contact."""
    conversation = get_by_external_key(
        db_session=db_session, channel=channel, external_key=external_key
    )
    if conversation is not None:
        return conversation
    try:
        with db_session.begin_nested():
            conversation = Conversation(channel=channel, external_key=external_key)
            db_session.add(conversation)
        return conversation
    except IntegrityError:
        # The same young person's other message created it a moment ago: use that one.
        return get_by_external_key(db_session=db_session, channel=channel, external_key=external_key)


def add_inbound(*, db_session: Session, conversation: Conversation, text: str) -> Message:
    """Add a message from the young person, not yet seen by the engine."""
    message = Message(
        conversation=conversation,
        direction="in",
        author="young_person",
        text=text,
        engine_status="pending",
        created_at=utcnow(),
    )
    conversation.last_message_at = message.created_at
    db_session.add(message)
    db_session.flush()
    return message


def add_outbound(
    *, db_session: Session, conversation: Conversation, text: str, author: str, buttons: list | None = None
) -> Message:
    """Add a message sent to the young person."""
    message = Message(
        conversation=conversation,
        direction="out",
        author=author,
        text=text,
        buttons=buttons or None,
        created_at=utcnow(),
    )
    conversation.last_message_at = message.created_at
    db_session.add(message)
    db_session.flush()
    return message


def send_to_young_person(
    *, db_session: Session, conversation: Conversation, text: str, author: str
) -> Message:
    """Store a message for the young person outside a reply (a worker's words, a takeover notice).

    The web chat picks it up by polling GET /chat/messages; an SMS conversation gets it as a text.
    """
    message = add_outbound(db_session=db_session, conversation=conversation, text=text, author=author)
    if conversation.channel == "sms":
        from api.sms.service import send_to_contact  # sms builds on conversations, not the reverse

        send_to_contact(db_session=db_session, conversation=conversation, message=message, now=message.created_at)
    return message


def outbound_after(*, db_session: Session, conversation_id: str, after_id: int, limit: int = 50) -> list[Message]:
    """Return messages sent to the young person after the one with this id, oldest first."""
    return list(
        db_session.scalars(
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == "out",
                Message.id > after_id,
            )
            .order_by(Message.id)
            .limit(limit)
        )
    )


def get_messages(*, db_session: Session, conversation_id: str) -> list[Message]:
    """Return a conversation's messages, oldest first."""
    return list(
        db_session.scalars(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
        )
    )


def recent_inbound_texts(
    *, db_session: Session, conversation_id: str, limit: int = 3, before_id: int | None = None
) -> list[str]:
    """Return the young person's last few messages in this conversation (before one), oldest first."""
    query = select(Message.text).where(Message.conversation_id == conversation_id, Message.direction == "in")
    if before_id is not None:
        query = query.where(Message.id < before_id)
    texts = db_session.scalars(query.order_by(Message.id.desc()).limit(limit))
    return list(reversed(list(texts)))
