"""The paging chain: page the on-call worker, wait for an acknowledgement, move on, repeat, stop."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.escalation.links import link_url, make_token
from api.escalation.models import Escalation, EscalationStep
from api.oncall import service as oncall
from api.oncall.hours import to_london
from api.oncall.models import Person, Team
from api.outbox import service as outbox
from api.outbox.models import FAILED_STATUSES, Notification

log = logging.getLogger(__name__)

CRITICAL_CHAIN = ["primary_and_backup", "managers"]
STANDARD_CHAIN = ["primary", "backup", "managers"]


def chain_for(severity: str) -> list[str]:
    """Critical pages the primary and the backup together; otherwise one at a time."""
    return list(CRITICAL_CHAIN if severity == "critical" else STANDARD_CHAIN)


def _targets(target: str, on_call: oncall.OnCall) -> tuple[str, list[Person]]:
    """Return who a step pages; with nobody on the rota the managers are paged instead."""
    if target == "managers":
        return "managers", on_call.managers
    if target == "backup":
        return "backup", [on_call.backup] if on_call.backup else []
    extra = [on_call.backup] if target == "primary_and_backup" and on_call.backup else []
    if on_call.primary is None:
        return "managers_gap", [*on_call.managers, *extra]
    return target, [on_call.primary, *extra]


def page_body(*, escalation: Escalation, target: str, round_: int, repeat: int, link: str) -> str:
    """The page: a reference, the severity and a link; never the young person's words or name."""
    parts = [f"Careline {escalation.severity.upper()} safeguarding alert, ref {escalation.reference}."]
    if target == "managers_gap":
        parts.append("Nobody is on the duty rota now, so this comes to you.")
    if round_ > 1:
        parts.append(f"Reminder {round_} of {repeat}.")
    parts.append(f"Reply ACK {escalation.reference} or open {link}")
    return " ".join(parts)


def send_with_link(
    *,
    db_session: Session,
    kind: str,
    escalation: Escalation,
    person: Person,
    body_for,
    dedupe_key: str,
    now: datetime,
    step: EscalationStep | None = None,
) -> Notification:
    """Queue an SMS to a member of staff carrying their own signed link to the alert."""
    notification = outbox.enqueue(
        db_session=db_session,
        kind=kind,
        to_number=person.phone,
        body="",
        person_id=person.id,
        escalation_id=escalation.id,
        step_id=step.id if step else None,
        dedupe_key=dedupe_key,
        now=now,
    )
    if not notification.body:
        # The link names this page, so every page's text is unique (the outbox relies on that).
        notification.body = body_for(link_url(make_token(notification.id, now=now)))
        db_session.flush()
    return notification


def _page(
    *, db_session: Session, escalation: Escalation, step: EscalationStep, people: list[Person],
    target: str, team: Team, now: datetime,
) -> None:
    """Queue one page per person for this step (queueing twice is harmless: the key dedupes)."""

    def body_for(link: str) -> str:
        return page_body(escalation=escalation, target=target, round_=step.round, repeat=team.repeat, link=link)

    for person in people:
        send_with_link(
            db_session=db_session, kind="page", escalation=escalation, person=person, step=step,
            body_for=body_for, dedupe_key=f"page:{step.id}:{person.id}", now=now,
        )


def start_step(
    *, db_session: Session, escalation: Escalation, team: Team, round_: int, position: int, now: datetime
) -> EscalationStep | None:
    """Page the next people who can be reached, from (round_, position) on; None when the chain ends."""
    chain = escalation.chain or chain_for(escalation.severity)
    skipped = 0
    while True:
        if position >= len(chain):
            round_, position = round_ + 1, 0
        if round_ > team.repeat:
            escalation.paging_status = "exhausted"
            audit.record(
                db_session=db_session, actor="system", action="escalation.chain_exhausted",
                subject_type="escalation", subject_id=escalation.id, at=now,
                details={"rounds": team.repeat},
            )
            log.error("escalation %s: nobody acknowledged after %s rounds", escalation.id, team.repeat)
            return None
        on_call = oncall.who_is_on_call(db_session=db_session, team_id=team.id, at=now)
        target, people = _targets(chain[position], on_call)
        reachable = [person for person in people if person.phone]
        if reachable:
            break
        audit.record(
            db_session=db_session, actor="system", action="escalation.step_skipped",
            subject_type="escalation", subject_id=escalation.id, at=now,
            details={"round": round_, "target": target, "reason": "nobody with a phone"},
        )
        skipped += 1
        if skipped >= len(chain):
            escalation.paging_status = "unreachable"
            log.error("escalation %s: nobody on the rota can be paged", escalation.id)
            return None
        position += 1

    try:
        with db_session.begin_nested():
            step = EscalationStep(
                escalation_id=escalation.id,
                round=round_,
                position=position,
                target=target,
                person_ids=[person.id for person in reachable],
                started_at=now,
                ack_deadline=now + timedelta(seconds=team.ack_timeout_seconds),
            )
            db_session.add(step)
    except IntegrityError:
        # Another worker started this very step a moment ago: it pages, this one does not.
        return db_session.scalars(
            select(EscalationStep).where(
                EscalationStep.escalation_id == escalation.id,
                EscalationStep.round == round_,
                EscalationStep.position == position,
            )
        ).one()

    _page(db_session=db_session, escalation=escalation, step=step, people=reachable, target=target, team=team, now=now)
    audit.record(
        db_session=db_session, actor="system", action="escalation.paged",
        subject_type="escalation", subject_id=escalation.id, at=now,
        details={"round": round_, "target": target, "people": step.person_ids,
                 "local_time": to_london(now).strftime("%Y-%m-%d %H:%M")},
    )
    if target == "managers_gap":
        audit.record(
            db_session=db_session, actor="system", action="rota.gap",
            subject_type="team", subject_id=team.id, at=now,
            details={"escalation": escalation.id, "paged": step.person_ids},
        )
    return step


def start_paging(*, db_session: Session, escalation: Escalation, now: datetime) -> EscalationStep | None:
    """Begin the chain for a new escalation."""
    team = db_session.get(Team, escalation.team_id) if escalation.team_id else None
    team = team or oncall.default_team(db_session=db_session)
    if team is None:
        escalation.paging_status = "unreachable"
        log.error("escalation %s: no on-call team is loaded (set ONCALL_ROTA_FILE)", escalation.id)
        audit.record(
            db_session=db_session, actor="system", action="escalation.unreachable",
            subject_type="escalation", subject_id=escalation.id, at=now, details={"reason": "no team"},
        )
        return None
    escalation.team_id = team.id
    escalation.chain = chain_for(escalation.severity)
    db_session.flush()
    return start_step(db_session=db_session, escalation=escalation, team=team, round_=1, position=0, now=now)


def current_step(*, db_session: Session, escalation: Escalation) -> EscalationStep | None:
    """Return the step waiting for an acknowledgement now, if any."""
    return db_session.scalar(
        select(EscalationStep)
        .where(EscalationStep.escalation_id == escalation.id, EscalationStep.status == "paging")
        .order_by(EscalationStep.id.desc())
        .limit(1)
    )


def raise_to_critical(*, db_session: Session, escalation: Escalation, now: datetime) -> None:
    """A paging escalation became critical: page the on-call primary and backup now if not yet paged."""
    step = current_step(db_session=db_session, escalation=escalation)
    if step is None or escalation.paging_status != "paging":
        return
    team = db_session.get(Team, escalation.team_id)
    on_call = oncall.who_is_on_call(db_session=db_session, team_id=team.id, at=now)
    extra = [p for p in (on_call.primary, on_call.backup) if p and p.phone and p.id not in step.person_ids]
    if not extra:
        return
    step.person_ids = [*step.person_ids, *(p.id for p in extra)]
    _page(db_session=db_session, escalation=escalation, step=step, people=extra, target="primary_and_backup", team=team, now=now)
    audit.record(
        db_session=db_session, actor="system", action="escalation.raised_to_critical",
        subject_type="escalation", subject_id=escalation.id, at=now, details={"paged": [p.id for p in extra]},
    )


def _end_step(*, db_session: Session, step: EscalationStep, status: str, now: datetime) -> bool:
    """Move a step out of paging; only one caller wins."""
    return (
        db_session.execute(
            update(EscalationStep)
            .where(EscalationStep.id == step.id, EscalationStep.status == "paging")
            .values(status=status, ended_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def _move_on(*, db_session: Session, step: EscalationStep, reason: str, now: datetime) -> EscalationStep | None:
    escalation = step.escalation
    audit.record(
        db_session=db_session, actor="system", action=f"escalation.step_{reason}",
        subject_type="escalation", subject_id=escalation.id, at=now,
        details={"round": step.round, "target": step.target, "people": step.person_ids},
    )
    if escalation.paging_status != "paging" or escalation.status != "open":
        return None
    team = db_session.get(Team, escalation.team_id)
    return start_step(
        db_session=db_session, escalation=escalation, team=team, round_=step.round, position=step.position + 1, now=now
    )


def advance_due(*, db_session: Session, now: datetime, limit: int = 50) -> int:
    """Move on every chain whose acknowledgement time has passed; returns how many steps timed out."""
    query = (
        select(EscalationStep)
        .where(EscalationStep.status == "paging", EscalationStep.ack_deadline <= now)
        .order_by(EscalationStep.ack_deadline)
        .limit(limit)
    )
    if db_session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    moved = 0
    for step in db_session.scalars(query).all():
        if _end_step(db_session=db_session, step=step, status="timed_out", now=now):
            db_session.refresh(step)
            _move_on(db_session=db_session, step=step, reason="timed_out", now=now)
            moved += 1
    db_session.commit()
    return moved


def page_failed(*, db_session: Session, notification: Notification, now: datetime) -> EscalationStep | None:
    """A page could not be delivered: once every page of its step failed, move on without waiting."""
    if notification.kind != "page" or notification.step_id is None:
        return None
    step = db_session.get(EscalationStep, notification.step_id)
    if step is None or step.status != "paging":
        return None
    statuses = db_session.scalars(select(Notification.status).where(Notification.step_id == step.id)).all()
    if not all(status in FAILED_STATUSES for status in statuses):
        return None
    if not _end_step(db_session=db_session, step=step, status="failed", now=now):
        return None
    db_session.refresh(step)
    return _move_on(db_session=db_session, step=step, reason="failed", now=now)


@dataclass(frozen=True)
class AckResult:
    """What an acknowledgement did: acknowledged, already (by someone), or resolved."""

    outcome: str
    escalation: Escalation
    by: Person | None


def acknowledge(
    *, db_session: Session, escalation: Escalation, person: Person, via: str, now: datetime
) -> AckResult:
    """Stop the chain and note who has it; a second or late acknowledgement changes nothing."""
    escalation = db_session.get(Escalation, escalation.id, with_for_update=True, populate_existing=True)
    if escalation.status == "resolved":
        return AckResult("resolved", escalation, db_session.get(Person, escalation.resolved_by or ""))
    if escalation.status == "acknowledged":
        return AckResult("already", escalation, db_session.get(Person, escalation.acknowledged_by or ""))
    escalation.status = "acknowledged"
    escalation.paging_status = "stopped"
    escalation.acknowledged_at = now
    escalation.acknowledged_by = person.id
    escalation.updated_at = now
    for step in db_session.scalars(
        select(EscalationStep).where(EscalationStep.escalation_id == escalation.id, EscalationStep.status == "paging")
    ):
        _end_step(db_session=db_session, step=step, status="acknowledged" if person.id in step.person_ids else "stopped", now=now)
    cancelled = outbox.cancel_unsent(db_session=db_session, escalation_id=escalation.id)
    audit.record(
        db_session=db_session, actor=f"person:{person.id}", action="escalation.acknowledged",
        subject_type="escalation", subject_id=escalation.id, at=now,
        details={"via": via, "pages_cancelled": cancelled},
    )
    # Everyone else who got a page hears that it is in hand, so nobody else gets up for it.
    paged = db_session.scalars(
        select(Notification.person_id)
        .where(
            Notification.escalation_id == escalation.id,
            Notification.kind == "page",
            Notification.status.in_(("sent", "delivered", "held_local", "sending", "in_doubt")),
            Notification.person_id != person.id,
        )
        .distinct()
    ).all()
    at = to_london(now).strftime("%H:%M")
    for other_id in paged:
        other = db_session.get(Person, other_id)
        if other and other.phone:
            outbox.enqueue(
                db_session=db_session, kind="staff_reply", to_number=other.phone, person_id=other.id,
                escalation_id=escalation.id, dedupe_key=f"acked:{escalation.id}:{other.id}", now=now,
                body=f"Careline ref {escalation.reference} was acknowledged by {person.name} at {at}. "
                "Nothing more is needed from you.",
            )
    db_session.flush()
    return AckResult("acknowledged", escalation, person)


def resolve(*, db_session: Session, escalation: Escalation, person: Person, outcome: str, now: datetime) -> Escalation:
    """Close an escalation with what was done; paging stops if it had not already."""
    outcome = outcome.strip()
    if not outcome:
        raise ValueError("say what was done before resolving")
    if escalation.status == "open":
        acknowledge(db_session=db_session, escalation=escalation, person=person, via="resolve", now=now)
    if escalation.status == "resolved":
        return escalation
    escalation.status = "resolved"
    escalation.resolved_at = now
    escalation.resolved_by = person.id
    escalation.outcome = outcome
    escalation.updated_at = now
    audit.record(
        db_session=db_session, actor=f"person:{person.id}", action="escalation.resolved",
        subject_type="escalation", subject_id=escalation.id, at=now, details={"outcome": outcome},
    )
    db_session.flush()
    return escalation
