"""The local outbox page: with no SMS provider configured, every SMS the service would send shows here."""

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from api.database.core import DbSession
from api.dependencies import AppSettings
from api.oncall.hours import to_london
from api.outbox.models import Notification
from api.outbox.senders import make_sender

templates = Jinja2Templates(directory=Path(__file__).parent.parent / "escalation" / "templates")
router = APIRouter()
LOOPBACK = {"127.0.0.1", "::1", "testclient"}


@router.get("/outbox", response_class=HTMLResponse, include_in_schema=False)
def local_outbox(request: Request, db_session: DbSession, settings: AppSettings) -> HTMLResponse:
    """Show the newest SMS, only while no provider is configured and only to this machine.

    Pages carry signed alert links, so the page is never served to another computer.
    """
    if make_sender(settings).configured:
        raise HTTPException(404, "The local outbox is only shown when no SMS provider is configured.")
    if request.client is None or request.client.host not in LOOPBACK:
        raise HTTPException(404, "The local outbox is only shown on the machine running Careline.")
    rows = db_session.scalars(select(Notification).order_by(Notification.id.desc()).limit(200)).all()
    items = [
        {
            "n": n,
            "when": to_london(n.created_at).strftime("%d %b %H:%M:%S"),
            "to": "a young person" if n.sms_contact_id else "…" + n.to_number[-4:],
        }
        for n in rows
    ]
    return templates.TemplateResponse(request, "outbox.html", {"items": items})
