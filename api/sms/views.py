"""Twilio's webhooks: texts from young people, and delivery reports for every SMS the service sends."""

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from api.database.core import DbSession
from api.database.types import utcnow
from api.dependencies import AppSettings
from api.errors import error_response
from api.escalation import paging
from api.escalation.staff_texts import answer_staff_text
from api.oncall.service import person_by_phone
from api.outbox import service as outbox
from api.outbox.models import FAILED_STATUSES
from api.sms import service as sms
from api.sms.phones import BadNumber
from api.sms.signatures import verified_form

router = APIRouter()
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@router.post(
    "/sms/twilio",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}, "description": "Empty TwiML: replies follow by the REST API"},
               400: {"description": "A field Twilio always sends is missing or malformed"},
               403: {"description": "Missing or wrong X-Twilio-Signature"}},
)
async def inbound_sms(
    request: Request,
    db_session: DbSession,
    settings: AppSettings,
    MessageSid: str = Form(max_length=64),  # noqa: N803 - Twilio's field names
    From: str = Form(max_length=32),  # noqa: N803
    Body: str = Form(default="", max_length=5000),  # noqa: N803
    NumMedia: int = Form(default=0, ge=0, le=10),  # noqa: N803
) -> Response:
    """Twilio's inbound message webhook: store and assess at once, answer Twilio at once, reply later."""
    form = await verified_form(request, settings)
    # With one Twilio number for everything, staff replying to a page land here: "ACK 4821".
    person = person_by_phone(db_session=db_session, phone=form.get("From", ""))
    if person is not None:
        answer_staff_text(db_session=db_session, person=person, form=form)
        db_session.commit()
        return Response(EMPTY_TWIML, media_type="application/xml")
    try:
        sms.receive(db_session=db_session, settings=settings, form=form, now=utcnow())
    except BadNumber:
        return error_response(400, "invalid_from", "From must be a phone number in E.164 form.")
    except ValueError as error:
        return error_response(400, "invalid_message_sid", str(error))
    return Response(EMPTY_TWIML, media_type="application/xml")


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
