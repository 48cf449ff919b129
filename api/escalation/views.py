"""Where staff act on an alert: the signed link in a page, and SMS replies such as "ACK 4821"."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.audit import service as audit
from api.conversations.models import Conversation
from api.database.core import DbSession
from api.database.types import utcnow
from api.dependencies import AppSettings
from api.escalation import paging
from api.escalation.links import BadLink, read_token
from api.escalation.staff_texts import answer_staff_text
from api.escalation.models import Escalation
from api.oncall.hours import to_london
from api.oncall.models import Person
from api.oncall.service import person_by_phone
from api.outbox.models import Notification
from api.sms.signatures import verified_form

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter()

STATUS_WORDS = {
    "open": "Waiting for someone to acknowledge",
    "acknowledged": "Acknowledged by {name} at {time}",
    "resolved": "Resolved by {name} at {time}",
}


class LinkProblem(Exception):
    """The link cannot be used."""


def _from_link(db_session, token: str) -> tuple[Notification, Escalation, Person]:
    try:
        notification_id = read_token(token, now=utcnow())
    except BadLink as error:
        raise LinkProblem(str(error)) from None
    notification = db_session.get(Notification, notification_id)
    if notification is None or notification.escalation_id is None or notification.person_id is None:
        raise LinkProblem("not a link we made")
    return notification, db_session.get(Escalation, notification.escalation_id), db_session.get(Person, notification.person_id)


def _bad_link(request: Request, reason: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "staff_base.html",
        {"problem": f"This alert link cannot be used: {reason}. Ask the duty manager for the alert reference."},
        status_code=404,
    )


@router.get("/a/{token}", response_class=HTMLResponse, include_in_schema=False)
def alert_page(token: str, request: Request, db_session: DbSession, notice: str = "") -> HTMLResponse:
    """Show the alert behind a page and let the paged person acknowledge it; the words need a signed-in staff page."""
    try:
        notification, escalation, person = _from_link(db_session, token)
    except LinkProblem as problem:
        return _bad_link(request, str(problem))
    conversation = db_session.get(Conversation, escalation.conversation_id)
    by_id = escalation.resolved_by if escalation.status == "resolved" else escalation.acknowledged_by
    by = db_session.get(Person, by_id) if by_id else None
    when = escalation.resolved_at if escalation.status == "resolved" else escalation.acknowledged_at
    status_words = STATUS_WORDS[escalation.status].format(
        name=by.name if by else "someone", time=to_london(when).strftime("%H:%M on %d %b") if when else ""
    )
    return templates.TemplateResponse(
        request,
        "alert.html",
        {
            "token": token,
            "escalation": escalation,
            "conversation": conversation,
            "mine": escalation.acknowledged_by == person.id,
            "status_words": status_words,
            "opened": to_london(escalation.opened_at).strftime("%H:%M on %a %d %b"),
            "categories": ", ".join(c.replace("_", " ") for c in escalation.categories),
            "notice": notice,
        },
    )


def _back(token: str, notice: str) -> RedirectResponse:
    from urllib.parse import quote

    return RedirectResponse(f"/a/{token}?notice={quote(notice)}", status_code=303)


@router.post("/a/{token}/acknowledge", include_in_schema=False)
def acknowledge_by_link(token: str, request: Request, db_session: DbSession) -> Response:
    """Acknowledge from the link; the link acknowledges once, later presses only show who has it."""
    try:
        notification, escalation, person = _from_link(db_session, token)
    except LinkProblem as problem:
        return _bad_link(request, str(problem))
    result = paging.acknowledge(db_session=db_session, escalation=escalation, person=person, via="link", now=utcnow())
    if notification.link_used_at is None:
        notification.link_used_at = utcnow()
    db_session.commit()
    if result.outcome == "acknowledged":
        return _back(token, "Thank you. This alert is yours; nobody else will be paged for it.")
    who = result.by.name if result.by else "someone"
    return _back(token, f"This alert was already {'resolved' if result.outcome == 'resolved' else 'acknowledged'} by {who}.")


EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
NOT_STAFF_TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Message>This number is for Careline staff alerts. '
    "If you need help now, call 999 in an emergency or Childline free on 0800 1111.</Message></Response>"
)


def _twiml(body: str = EMPTY_TWIML) -> Response:
    return Response(body, media_type="application/xml")


@router.post("/sms/twilio/staff", include_in_schema=False)
async def staff_sms(request: Request, db_session: DbSession, settings: AppSettings) -> Response:
    """Twilio's webhook for texts to the staff alert number: ACK <ref> acknowledges."""
    form = await verified_form(request, settings)
    sid = form.get("MessageSid", "")
    person = person_by_phone(db_session=db_session, phone=form.get("From", ""))
    if person is None:
        audit.record(
            db_session=db_session, actor="unknown_sender", action="staff_sms.unknown_sender",
            subject_type="sms", subject_id=sid or "-",
        )
        db_session.commit()
        return _twiml(NOT_STAFF_TWIML)
    answer_staff_text(db_session=db_session, person=person, form=form)
    db_session.commit()
    return _twiml()
