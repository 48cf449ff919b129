"""Texts from staff phones: "ACK 4821" acknowledges; anything else gets a short how-to."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.database.types import utcnow
from api.escalation import commands, paging
from api.escalation.models import Escalation
from api.oncall.models import Person
from api.outbox import service as outbox
from api.outbox.models import Notification


def _open_alerts_for(db_session: Session, person: Person) -> list[Escalation]:
    paged = select(Notification.escalation_id).where(Notification.person_id == person.id)
    return list(
        db_session.scalars(
            select(Escalation)
            .where(Escalation.status != "resolved", Escalation.id.in_(paged))
            .order_by(Escalation.opened_at.desc())
        )
    )


def _tell(db_session: Session, person: Person, escalation: Escalation | None, body_for, dedupe: str) -> None:
    if escalation is not None:
        paging.send_with_link(
            db_session=db_session, kind="staff_reply", escalation=escalation, person=person,
            body_for=body_for, dedupe_key=dedupe, now=utcnow(),
        )
    else:
        outbox.enqueue(
            db_session=db_session, kind="staff_reply", to_number=person.phone, person_id=person.id,
            body=body_for(""), dedupe_key=dedupe,
        )


def answer_staff_text(*, db_session: Session, person: Person, form: dict[str, str]) -> None:
    """Act on a text from a member of staff ("ACK 4821") and queue the answer; a retry is answered once."""
    sid = form.get("MessageSid", "")
    dedupe = f"staff-sms:{sid}" if sid else None
    if dedupe and db_session.scalar(select(Notification.id).where(Notification.dedupe_key == dedupe)):
        return  # a retried delivery of a text already answered
    command = commands.parse(form.get("Body", ""))
    alerts = _open_alerts_for(db_session, person)
    refs = ", ".join(a.reference for a in alerts[:5])
    escalation = next((a for a in alerts if a.reference == command.reference), None)
    if escalation is None and command.reference:
        escalation = db_session.scalar(
            select(Escalation).where(Escalation.reference == command.reference, Escalation.status != "resolved")
        )
    dedupe = dedupe or f"staff-sms:{person.id}:{utcnow().isoformat()}"
    if command.kind == "ack" and escalation is not None and escalation.team_id == person.team_id:
        result = paging.acknowledge(db_session=db_session, escalation=escalation, person=person, via="sms", now=utcnow())
        if result.outcome == "acknowledged":
            words = f"Thanks {person.name.split()[0]}, ref {escalation.reference} is yours. Nobody else will be paged. Read and reply here: "
        else:
            who = result.by.name if result.by else "someone"
            words = f"Ref {escalation.reference} was already {'resolved' if result.outcome == 'resolved' else 'acknowledged'} by {who}. Details: "
        _tell(db_session, person, escalation, lambda link: words + link, dedupe)
    elif command.kind == "ack":
        asked = f"ref {command.reference}" if command.reference else "no ref"
        hint = f" Your open alerts: {refs}." if refs else " You have no open alerts."
        _tell(db_session, person, None, lambda _: f"Careline: no open alert matches {asked}. Reply ACK and the 4-digit ref, e.g. ACK 4821.{hint}", dedupe)
    else:
        hint = f" Your open alerts: {refs}." if refs else ""
        _tell(db_session, person, None, lambda _: f"Careline: to acknowledge, reply ACK and the 4-digit ref, e.g. ACK 4821. Use the alert link to read and reply.{hint}", dedupe)
    audit.record(
        db_session=db_session, actor=f"person:{person.id}", action="staff_sms.received",
        subject_type="sms", subject_id=sid or "-", details={"command": command.kind, "reference": command.reference},
    )
