"""The staff pages: sign in, the escalation inbox, conversations, the rota, the audit log and users."""

from datetime import date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from api.audit import service as audit
from api.audit.models import AuditEvent
from api.conversations.models import Conversation, Message
from api.database.core import DbSession
from api.database.types import utcnow
from api.dependencies import AppSettings
from api.escalation import paging
from api.escalation.models import SEVERITIES, Assessment, Escalation, EscalationStep
from api.oncall.hours import LONDON, to_london
from api.oncall.models import Person, Shift
from api.staff import service
from api.staff.models import ROLES, Assignment, StaffUser
from api.takeover import service as takeover_service

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=[HERE / "templates", HERE.parent / "escalation" / "templates"])
router = APIRouter(prefix="/staff", include_in_schema=False)
COOKIE = "careline_staff"


WHO = {"young_person": "Young person", "bot": "Bot", "fallback": "Bot (safe reply)", "staff": "Duty worker", "system": "Careline"}


def transcript_lines(db_session, conversation_id: str) -> list[dict]:
    """A conversation's messages for staff, with what the detector flagged and why."""
    assessments = {
        a.message_id: a
        for a in db_session.scalars(
            select(Assessment).join(Message).where(Message.conversation_id == conversation_id)
        )
    }
    lines = []
    for message in db_session.scalars(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
    ):
        assessment = assessments.get(message.id)
        flagged = bool(assessment and (assessment.escalate or assessment.severity == "low"))
        lines.append(
            {
                "message": message,
                "at": message.created_at,
                "who": WHO.get(message.author, message.author),
                "time": to_london(message.created_at).strftime("%d %b %H:%M"),
                "flagged": flagged,
                "severity": assessment.severity if assessment else "",
                "evidence": list(dict.fromkeys(e.get("text", "") for e in (assessment.evidence if flagged else []))),
            }
        )
    return lines


class SignIn(Exception):
    """Not signed in: send the browser to the sign-in page."""


def _now() -> datetime:
    return utcnow()


def signed_in(request: Request, db_session: DbSession):
    """Return (user, session) or send the browser to sign in."""
    found = service.session_for(db_session=db_session, token=request.cookies.get(COOKIE), now=_now())
    if found is None:
        raise SignIn()
    return found


def require(*roles: str):
    """A dependency: the signed-in user must hold one of these roles, or gets 403."""

    def check(found=Depends(signed_in)):
        user, _ = found
        if not set(roles) & set(user.roles):
            raise HTTPException(403, "Your role does not open this page.")
        return found

    return check


def _csrf(found, token: str) -> None:
    _, session = found
    if not token or token != session.csrf_token:
        raise HTTPException(403, "This form is out of date. Go back, reload the page and try again.")


def _page(request: Request, name: str, found, status_code: int = 200, **context) -> HTMLResponse:
    user, session = found if found else (None, None)
    return templates.TemplateResponse(
        request, name, {"user": user, "csrf": session.csrf_token if session else "", **context}, status_code=status_code
    )


def _person(db_session, user: StaffUser) -> Person:
    person = db_session.get(Person, user.person_id) if user.person_id else None
    if person is None:
        raise HTTPException(403, "Your account is not linked to anyone on the duty rota, so it cannot act on alerts.")
    return person


def home_for(user: StaffUser) -> str:
    """The first page a role needs."""
    if {"duty_worker", "manager"} & set(user.roles):
        return "/staff/inbox"
    if "advocate" in user.roles:
        return "/staff/conversations"
    return "/staff/users"


def _safe_next(next_path: str) -> str:
    """Only return to a staff page of this site after signing in."""
    return next_path if next_path.startswith("/staff/") and not next_path.startswith("//") and "\\" not in next_path else ""


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, problem: str = "", next: str = "") -> HTMLResponse:  # noqa: A002
    return _page(request, "login.html", None, problem=problem, next=_safe_next(next))


@router.post("/login")
def login(
    request: Request, db_session: DbSession, settings: AppSettings,
    username: str = Form(max_length=64), password: str = Form(max_length=200), code: str = Form(default="", max_length=12),
    next: str = Form(default="", max_length=200),  # noqa: A002
) -> Response:
    """Check the password (and code), start a session in an HttpOnly, SameSite=Strict cookie."""
    try:
        user = service.authenticate(db_session=db_session, username=username, password=password, code=code, now=_now())
    except service.LoginFailed as problem:
        return _page(request, "login.html", None, status_code=401, problem=str(problem), username=username, next=_safe_next(next))
    token, _ = service.start_session(db_session=db_session, user=user, now=_now())
    response = RedirectResponse(_safe_next(next) or home_for(user), status_code=303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=settings.public_base_url.startswith("https"),
        max_age=int(service.SESSION_MAX.total_seconds()), path="/staff",
    )
    return response


@router.post("/logout")
def logout(request: Request, db_session: DbSession, found=Depends(signed_in), csrf: str = Form(default="")) -> Response:
    _csrf(found, csrf)
    service.end_session(db_session=db_session, token=request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/staff/login", status_code=303)
    response.delete_cookie(COOKIE, path="/staff")
    return response


@router.get("", response_class=HTMLResponse)
def staff_home(found=Depends(signed_in)) -> Response:
    return RedirectResponse(home_for(found[0]), status_code=303)


def inbox_rows(db_session) -> list[dict]:
    """Open and acknowledged escalations, most severe first, then newest."""
    escalations = db_session.scalars(select(Escalation).where(Escalation.status != "resolved")).all()
    escalations.sort(key=lambda e: (-SEVERITIES.index(e.severity), -e.opened_at.timestamp()))
    rows = []
    for e in escalations:
        conversation = db_session.get(Conversation, e.conversation_id)
        by = db_session.get(Person, e.acknowledged_by) if e.acknowledged_by else None
        rows.append({
            "id": e.id, "reference": e.reference, "severity": e.severity, "status": e.status,
            "pseudonym": conversation.pseudonym, "channel": conversation.channel,
            "categories": ", ".join(c.replace("_", " ") for c in e.categories),
            "opened": to_london(e.opened_at).strftime("%H:%M %d %b"), "by": by.name if by else "",
            "paging": e.paging_status,
        })
    return rows


@router.get("/inbox", response_class=HTMLResponse)
def inbox(request: Request, db_session: DbSession, found=Depends(require("duty_worker", "manager"))) -> HTMLResponse:
    return _page(request, "inbox.html", found, rows=inbox_rows(db_session))


@router.get("/inbox.json")
def inbox_json(db_session: DbSession, found=Depends(require("duty_worker", "manager"))) -> JSONResponse:
    """The inbox's rows, which the page fetches every few seconds to show new alerts without reloading."""
    return JSONResponse({"rows": inbox_rows(db_session)})


def _escalation(db_session, escalation_id: int) -> Escalation:
    escalation = db_session.get(Escalation, escalation_id)
    if escalation is None:
        raise HTTPException(404, "No such alert.")
    return escalation


def _view_transcript(db_session, user: StaffUser, conversation_id: str, reason: str, via: str) -> list | None:
    access = service.conversation_access(db_session=db_session, user=user, conversation_id=conversation_id)
    if not access.allowed or (access.needs_reason and not reason.strip()):
        return None
    audit.record(
        db_session=db_session, actor=f"staff:{user.id}", action="transcript.viewed", subject_type="conversation",
        subject_id=conversation_id, details={"via": via, **({"break_glass_reason": reason.strip()} if access.needs_reason else {})},
    )
    db_session.commit()
    return transcript_lines(db_session, conversation_id)


@router.get("/escalations/{escalation_id}", response_class=HTMLResponse)
def escalation_page(
    escalation_id: int, request: Request, db_session: DbSession, settings: AppSettings,
    found=Depends(require("duty_worker", "manager")), reason: str = "", notice: str = "",
) -> HTMLResponse:
    user = found[0]
    escalation = _escalation(db_session, escalation_id)
    conversation = db_session.get(Conversation, escalation.conversation_id)
    access = service.conversation_access(db_session=db_session, user=user, conversation_id=conversation.id)
    transcript = _view_transcript(db_session, user, conversation.id, reason, "escalation page")
    steps = db_session.scalars(select(EscalationStep).where(EscalationStep.escalation_id == escalation.id).order_by(EscalationStep.id)).all()
    return _page(
        request, "escalation.html", found, escalation=escalation, conversation=conversation, transcript=transcript,
        needs_reason=access.allowed and access.needs_reason and transcript is None,
        takeover=takeover_service.active_for(db_session=db_session, conversation_id=conversation.id),
        steps=[(to_london(s.started_at).strftime("%H:%M"), s.round, s.target, ", ".join(s.person_ids), s.status) for s in steps],
        person_id=user.person_id, notice=notice, idle_minutes=settings.takeover_idle_seconds // 60,
        categories=", ".join(c.replace("_", " ") for c in escalation.categories),
    )


def _back(escalation_id: int, notice: str) -> RedirectResponse:
    return RedirectResponse(f"/staff/escalations/{escalation_id}?notice={quote(notice)}", status_code=303)


@router.post("/escalations/{escalation_id}/{action}")
def escalation_action(
    escalation_id: int, action: str, db_session: DbSession, found=Depends(require("duty_worker", "manager")),
    csrf: str = Form(default=""), text: str = Form(default="", max_length=1000), outcome: str = Form(default="", max_length=2000),
) -> Response:
    """Acknowledge, take over, reply, hand back or resolve, as the signed-in worker."""
    _csrf(found, csrf)
    user = found[0]
    escalation = _escalation(db_session, escalation_id)
    person = _person(db_session, user)
    now = _now()
    takeover = takeover_service.active_for(db_session=db_session, conversation_id=escalation.conversation_id)
    owner = escalation.acknowledged_by == person.id or "manager" in user.roles
    if action in ("takeover", "reply", "handback", "resolve") and escalation.status != "open" and not owner:
        raise HTTPException(403, "Only the person who acknowledged this alert, or a manager, can do that.")
    try:
        if action == "acknowledge":
            result = paging.acknowledge(db_session=db_session, escalation=escalation, person=person, via="staff page", now=now)
            notice = "It's yours. Nobody else will be paged." if result.outcome == "acknowledged" else f"Already {result.outcome} by {result.by.name if result.by else 'someone'}."
        elif action == "takeover":
            takeover_service.start(db_session=db_session, escalation=escalation, person=person, now=now)
            notice = "You have the conversation. The young person has been told a real person is here."
        elif action == "reply":
            if takeover is None or takeover.person_id != person.id:
                raise ValueError("take the conversation over first")
            takeover_service.staff_reply(db_session=db_session, takeover=takeover, text=text, now=now)
            notice = "Sent."
        elif action == "handback":
            if takeover is None:
                raise ValueError("nobody has this conversation now")
            takeover_service.end(db_session=db_session, takeover=takeover, reason="handed_back", now=now, actor=f"person:{person.id}")
            notice = "The bot has the conversation again."
        elif action == "resolve":
            paging.resolve(db_session=db_session, escalation=escalation, person=person, outcome=outcome, now=now)
            if takeover is not None:
                takeover_service.end(db_session=db_session, takeover=takeover, reason="resolved", now=now, actor=f"person:{person.id}")
            notice = "Resolved. Thank you."
        else:
            raise HTTPException(404, "No such action.")
    except ValueError as problem:
        db_session.rollback()
        return _back(escalation_id, f"Not done: {problem}.")
    db_session.commit()
    return _back(escalation_id, notice)


@router.get("/conversations", response_class=HTMLResponse)
def conversations_page(
    request: Request, db_session: DbSession, found=Depends(require("duty_worker", "advocate", "manager")),
    q: str = "", day: str = "", flagged: bool = False,
) -> HTMLResponse:
    """Search by pseudonym, date and flag, within what this user may see."""
    user = found[0]
    query = select(Conversation).where(Conversation.id.in_(service.visible_conversation_ids(db_session=db_session, user=user)))
    if q.strip():
        query = query.where(Conversation.pseudonym.ilike(f"%{q.strip()}%"))
    if day:
        try:
            start = datetime.combine(date.fromisoformat(day), time(0), tzinfo=LONDON)
        except ValueError:
            raise HTTPException(422, "The date must look like 2026-11-23.") from None
        query = query.where(Conversation.last_message_at >= start, Conversation.created_at < start + timedelta(days=1))
    if flagged:
        query = query.where(Conversation.id.in_(select(Escalation.conversation_id)))
    rows = db_session.scalars(query.order_by(Conversation.last_message_at.desc()).limit(100)).all()
    flags = set(db_session.scalars(select(Escalation.conversation_id).where(Escalation.conversation_id.in_([c.id for c in rows]))))
    return _page(
        request, "conversations.html", found, q=q, day=day, flagged=flagged,
        rows=[{"c": c, "flagged": c.id in flags, "last": to_london(c.last_message_at).strftime("%d %b %H:%M")} for c in rows],
    )


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
def conversation_page(
    conversation_id: str, request: Request, db_session: DbSession,
    found=Depends(require("duty_worker", "advocate", "manager")), reason: str = "",
) -> HTMLResponse:
    """A conversation's timeline: messages, assessments, escalation steps and staff actions in one place."""
    user = found[0]
    conversation = db_session.get(Conversation, conversation_id)
    access = service.conversation_access(db_session=db_session, user=user, conversation_id=conversation_id) if conversation else None
    if conversation is None or not access.allowed:
        raise HTTPException(404, "No conversation you may open has that id.")
    transcript = _view_transcript(db_session, user, conversation_id, reason, "conversation page")
    if transcript is None:
        return _page(request, "break_glass.html", found, conversation=conversation)
    events = audit.for_subject(db_session=db_session, subject_type="conversation", subject_id=conversation_id)
    escalations = db_session.scalars(select(Escalation).where(Escalation.conversation_id == conversation_id)).all()
    for e in escalations:
        events += audit.for_subject(db_session=db_session, subject_type="escalation", subject_id=e.id)
    timeline = [{"at": line["at"], "kind": "message", "line": line} for line in transcript]
    timeline += [{"at": ev.at, "kind": "event", "event": ev, "time": to_london(ev.at).strftime("%d %b %H:%M")} for ev in events]
    timeline.sort(key=lambda item: item["at"])
    return _page(request, "conversation.html", found, conversation=conversation, timeline=timeline)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, db_session: DbSession, found=Depends(require("manager"))) -> HTMLResponse:
    events = db_session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(300)).all()
    return _page(request, "audit.html", found, events=[(to_london(e.at).strftime("%d %b %H:%M:%S"), e) for e in events])


@router.get("/rota", response_class=HTMLResponse)
def rota_page(request: Request, db_session: DbSession, found=Depends(require("manager"))) -> HTMLResponse:
    now = _now()
    shifts = db_session.scalars(select(Shift).where(Shift.end_at > now).order_by(Shift.kind, Shift.start_at)).all()
    people = db_session.scalars(select(Person).order_by(Person.id)).all()
    show = lambda m: to_london(m).strftime("%a %d %b %Y %H:%M")  # noqa: E731
    return _page(request, "rota.html", found, people=people, shifts=[(s, show(s.start_at), show(s.end_at)) for s in shifts])


@router.post("/rota/overrides")
def add_override(
    db_session: DbSession, found=Depends(require("manager")), csrf: str = Form(default=""),
    kind: str = Form(), person_id: str = Form(max_length=32), start: str = Form(), end: str = Form(), reason: str = Form(max_length=200),
) -> Response:
    """Add a sickness cover or a swap; times are London wall-clock times."""
    _csrf(found, csrf)
    person = db_session.get(Person, person_id)
    try:
        start_at = datetime.fromisoformat(start).replace(tzinfo=LONDON)
        end_at = datetime.fromisoformat(end).replace(tzinfo=LONDON)
    except ValueError:
        raise HTTPException(422, "Times must look like 2026-11-23T21:00.") from None
    if person is None or kind not in ("primary", "backup") or end_at <= start_at or not reason.strip():
        raise HTTPException(422, "Choose a person and primary or backup, an end after the start, and a reason.")
    db_session.add(Shift(team_id=person.team_id, kind=kind, person_id=person.id, start_at=start_at, end_at=end_at, is_override=True, reason=reason, source="app"))
    audit.record(db_session=db_session, actor=f"staff:{found[0].id}", action="rota.override_added", subject_type="team", subject_id=person.team_id,
                 details={"kind": kind, "person": person.id, "start": start, "end": end, "reason": reason})
    db_session.commit()
    return RedirectResponse("/staff/rota", status_code=303)


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, db_session: DbSession, found=Depends(require("admin"))) -> HTMLResponse:
    users = db_session.scalars(select(StaffUser).order_by(StaffUser.username)).all()
    return _page(request, "users.html", found, users=users, roles=ROLES)


@router.post("/users")
def add_user(
    db_session: DbSession, found=Depends(require("admin")), csrf: str = Form(default=""),
    username: str = Form(max_length=64), display_name: str = Form(max_length=120), password: str = Form(max_length=200),
    roles: list[str] = Form(default=[]),
) -> Response:
    _csrf(found, csrf)
    try:
        user = service.create_user(db_session=db_session, username=username, display_name=display_name, password=password, roles=roles)
    except ValueError as problem:
        raise HTTPException(422, str(problem)) from None
    audit.record(db_session=db_session, actor=f"staff:{found[0].id}", action="staff.user_added", subject_type="staff_user", subject_id=user.id, details={"roles": roles})
    db_session.commit()
    return RedirectResponse("/staff/users", status_code=303)


@router.post("/assignments")
def assign(
    db_session: DbSession, found=Depends(require("manager")), csrf: str = Form(default=""),
    username: str = Form(max_length=64), pseudonym: str = Form(max_length=16),
) -> Response:
    """A manager puts a young person in an advocate's caseload."""
    _csrf(found, csrf)
    advocate = db_session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))
    conversation = db_session.scalar(select(Conversation).where(Conversation.pseudonym == pseudonym.strip()))
    if advocate is None or "advocate" not in advocate.roles or conversation is None:
        raise HTTPException(422, "Name an advocate and a pseudonym that exist.")
    if db_session.get(Assignment, (advocate.id, conversation.id)) is None:
        db_session.add(Assignment(user_id=advocate.id, conversation_id=conversation.id))
    audit.record(db_session=db_session, actor=f"staff:{found[0].id}", action="caseload.assigned", subject_type="conversation", subject_id=conversation.id, details={"advocate": advocate.id})
    db_session.commit()
    return RedirectResponse("/staff/conversations", status_code=303)


def install_staff_errors(app) -> None:
    """Staff pages answer in pages: not signed in goes to sign-in; 403/404/422 show a readable page."""
    from api.errors import http_error_handler

    async def sign_in(request: Request, _exc: SignIn) -> Response:
        if request.url.path.endswith(".json"):
            return JSONResponse({"error": {"code": "signed_out", "message": "Sign in again."}}, status_code=401)
        return RedirectResponse(f"/staff/login?next={quote(request.url.path)}", status_code=303)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        if not request.url.path.startswith("/staff") or request.url.path.endswith(".json"):
            return await http_error_handler(request, exc)
        with request.app.state.session_factory() as db_session:
            found = service.session_for(db_session=db_session, token=request.cookies.get(COOKIE), now=_now())
            return _page(request, "staff_base.html", found, status_code=exc.status_code, problem=str(exc.detail))

    app.add_exception_handler(SignIn, sign_in)
    app.add_exception_handler(HTTPException, http_error)


@router.get("/scorecard", response_class=HTMLResponse)
def scorecard(request: Request, db_session: DbSession, found=Depends(require("manager"))) -> HTMLResponse:
    """The last 7 days: alerts by severity, time to acknowledge, chains nobody answered, what is still open."""
    since = _now() - timedelta(days=7)
    recent = db_session.scalars(select(Escalation).where(Escalation.opened_at >= since)).all()
    waits = sorted((e.acknowledged_at - e.opened_at).total_seconds() for e in recent if e.acknowledged_at)
    middle = waits[len(waits) // 2] if waits else None
    slowest = waits[-1] if waits else None
    figures = [
        ("Alerts", len(recent)),
        *((f"  {sev}", sum(1 for e in recent if e.severity == sev)) for sev in ("critical", "high", "medium")),
        ("Median time to acknowledge", f"{middle / 60:.1f} min" if middle is not None else "none yet"),
        ("Slowest acknowledgement", f"{slowest / 60:.1f} min" if slowest is not None else "none yet"),
        ("Nobody acknowledged after every round", sum(1 for e in recent if e.paging_status == "exhausted")),
        ("Could not page anyone", sum(1 for e in recent if e.paging_status == "unreachable")),
        ("Still open", sum(1 for e in recent if e.status != "resolved")),
    ]
    return _page(request, "scorecard.html", found, figures=figures)


@router.post("/users/{user_id}/roles")
def set_roles(
    user_id: int, db_session: DbSession, found=Depends(require("admin")), csrf: str = Form(default=""),
    roles: list[str] = Form(default=[]),
) -> Response:
    """Change someone's roles; an admin cannot take admin away from themselves."""
    _csrf(found, csrf)
    user = db_session.get(StaffUser, user_id)
    if user is None or not roles or set(roles) - set(ROLES):
        raise HTTPException(422, "Choose at least one known role for a user that exists.")
    if user.id == found[0].id and "admin" not in roles:
        raise HTTPException(422, "You cannot remove your own admin role.")
    before, user.roles = list(user.roles), list(roles)
    audit.record(db_session=db_session, actor=f"staff:{found[0].id}", action="staff.roles_changed", subject_type="staff_user", subject_id=user.id, details={"from": before, "to": roles})
    db_session.commit()
    return RedirectResponse("/staff/users", status_code=303)
