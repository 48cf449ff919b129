"""Twilio's delivery reports for every SMS the service sends."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.database.core import DbSession
from api.database.types import utcnow
from api.dependencies import AppSettings
from api.escalation import paging
from api.outbox import service as outbox
from api.outbox.models import FAILED_STATUSES
from api.sms.signatures import verified_form

router = APIRouter()


@router.post("/sms/twilio/status", status_code=204, include_in_schema=False)
async def delivery_status(request: Request, db_session: DbSession, settings: AppSettings) -> Response:
    """Record delivered/undelivered; an undelivered page moves its chain to the next person at once."""
    form = await verified_form(request, settings)
    sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "").lower()
    if sid and status:
        now = utcnow()
        notification = outbox.record_delivery_status(db_session=db_session, provider_sid=sid, status=status, now=now)
        if notification is not None and notification.status in FAILED_STATUSES:
            paging.page_failed(db_session=db_session, notification=notification, now=now)
        db_session.commit()
    return Response(status_code=204)
