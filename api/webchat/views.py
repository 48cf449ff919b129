"""The web chat page and its message endpoint."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.conversations.flows import handle_inbound
from api.database.core import DbSession
from api.dependencies import Rasa
from api.webchat.schemas import MAX_MESSAGE_CHARS, ChatMessageIn, ChatMessageOut
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
