"""The web chat page and its message endpoint."""

from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.conversations import service as conversations
from api.conversations.flows import handle_inbound
from api.conversations.schemas import Reply, ReplyButton
from api.database.core import DbSession
from api.dependencies import Rasa
from api.webchat.schemas import MAX_MESSAGE_CHARS, ChatMessageIn, ChatMessageOut, ChatUpdates
from bot.messages import HELPLINES, WELCOME

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def chat_page(request: Request) -> HTMLResponse:
    """Serve the web chat page."""
    return templates.TemplateResponse(
        request,
        "chat.html",
        {"welcome": WELCOME, "helplines": HELPLINES, "max_chars": MAX_MESSAGE_CHARS},
    )


@router.post("/chat/messages", response_model=ChatMessageOut)
def post_message(message_in: ChatMessageIn, db_session: DbSession, rasa: Rasa) -> ChatMessageOut:
    """Take a young person's message and return the replies."""
    replies = handle_inbound(
        db_session=db_session,
        rasa=rasa,
        channel="web",
        external_key=message_in.conversation_id,
        text=message_in.text,
    )
    return ChatMessageOut(replies=replies)


@router.get("/chat/messages", response_model=ChatUpdates)
def get_updates(
    db_session: DbSession,
    conversation_id: str = Query(pattern=r"^[A-Za-z0-9_-]{8,64}$"),
    after: int = Query(default=0, ge=0),
) -> ChatUpdates:
    """Return messages sent to this chat after the given message id (a worker's replies arrive here)."""
    conversation = conversations.get_by_external_key(
        db_session=db_session, channel="web", external_key=conversation_id
    )
    if conversation is None:
        return ChatUpdates(messages=[])
    messages = conversations.outbound_after(
        db_session=db_session, conversation_id=conversation.id, after_id=after
    )
    return ChatUpdates(
        messages=[
            Reply(
                id=m.id,
                author=m.author,
                text=m.text,
                buttons=[ReplyButton(**b) for b in (m.buttons or [])],
            )
            for m in messages
        ]
    )
