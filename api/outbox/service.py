"""Queue SMS durably, let workers claim them one at a time, and record what the provider said."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from api.database.types import utcnow
from api.outbox.models import DUE_STATUSES, Notification, NotificationAttempt, WorkerHeartbeat
from api.outbox.senders import SendError, Sent

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_BACKOFF_SECONDS = 60
# An in-doubt message whose provider lookup keeps failing is sent again after this many tries:
# a second copy of a page is better than none.
MAX_LOOKUPS = 3


def backoff(attempts: int) -> timedelta:
    """Wait 2, 4, 8 ... seconds after each failed attempt, at most a minute."""
    return timedelta(seconds=min(2**attempts, MAX_BACKOFF_SECONDS))


def enqueue(
    *,
    db_session: Session,
    kind: str,
    to_number: str,
    body: str,
    person_id: str | None = None,
    escalation_id: int | None = None,
    step_id: int | None = None,
    sms_contact_id: int | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> Notification:
    """Queue an SMS; queueing the same dedupe_key twice gives back the first one."""
    if dedupe_key:
        existing = db_session.scalar(select(Notification).where(Notification.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    now = now or utcnow()
    notification = Notification(
        kind=kind,
        to_number=to_number,
        body=body,
        person_id=person_id,
        escalation_id=escalation_id,
        step_id=step_id,
        sms_contact_id=sms_contact_id,
        dedupe_key=dedupe_key,
        created_at=now,
        next_attempt_at=now,
    )
    try:
        with db_session.begin_nested():
            db_session.add(notification)
    except IntegrityError:
        if dedupe_key is None:
            raise
        return db_session.scalars(select(Notification).where(Notification.dedupe_key == dedupe_key)).one()
    return notification


@dataclass(frozen=True)
class Claim:
    """A notification this worker holds the lease on, and the attempt it is making."""

    notification_id: int
    attempt_id: int
    to_number: str  # empty for a young person: the worker decrypts their number just before sending
    sms_contact_id: int | None
    body: str
    in_doubt: bool  # look at the provider before sending again
    lookups: int


def _due(now: datetime):
    stale_lease = and_(Notification.status == "sending", Notification.lease_until < now)
    return or_(and_(Notification.status.in_(DUE_STATUSES), Notification.next_attempt_at <= now), stale_lease)


def claim_due(
    *, db_session: Session, worker: str, now: datetime, lease_seconds: float, limit: int = 20
) -> list[Claim]:
    """Take the lease on due notifications; a row another worker holds is skipped, never shared."""
    query = select(Notification).where(_due(now)).order_by(Notification.next_attempt_at, Notification.id)
    query = query.limit(limit)
    if db_session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claims = []
    try:
        for notification in db_session.scalars(query).all():
            was = notification.status
            # Compare-and-set: only one worker can move a row from what it read to "sending".
            taken = db_session.execute(
                update(Notification)
                .where(Notification.id == notification.id, Notification.status == was, _due(now))
                .values(
                    status="sending",
                    lease_owner=worker,
                    lease_until=now + timedelta(seconds=lease_seconds),
                    attempts=Notification.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken != 1:
                continue
            previous = db_session.scalars(
                select(NotificationAttempt)
                .where(NotificationAttempt.notification_id == notification.id)
                .order_by(NotificationAttempt.id)
            ).all()
            attempt = NotificationAttempt(
                notification_id=notification.id,
                number=len(previous) + 1,
                worker=worker,
                started_at=now,
            )
            db_session.add(attempt)
            db_session.flush()
            claims.append(
                Claim(
                    notification_id=notification.id,
                    attempt_id=attempt.id,
                    to_number=notification.to_number,
                    sms_contact_id=notification.sms_contact_id,
                    body=notification.body,
                    in_doubt=was in ("sending", "in_doubt"),
                    lookups=sum(1 for a in previous if a.outcome == "lookup_failed"),
                )
            )
        db_session.commit()
    except OperationalError:
        # SQLite: another worker wrote first and our snapshot is stale; try again next loop.
        db_session.rollback()
        return []
    return claims


def deliver(*, claim: Claim, sender, status_callback: str | None) -> tuple[str, Sent | None, SendError | None]:
    """Hand the claimed message to the provider, looking first if an earlier try may have got through."""
    if claim.in_doubt and getattr(sender, "configured", False):
        try:
            sid = sender.find_sent(to=claim.to_number, body=claim.body)
        except SendError as error:
            if claim.lookups + 1 < MAX_LOOKUPS:
                return "lookup_failed", None, error
            log.warning("notification %s: provider lookup failed again; sending anyway", claim.notification_id)
            sid = None
        if sid:
            return "found_sent", Sent(sid=sid), None
    try:
        sent = sender.send(to=claim.to_number, body=claim.body, status_callback=status_callback)
    except SendError as error:
        if not error.retry:
            return "rejected", None, error
        return ("timeout" if error.http_status is None and error.in_doubt else "provider_error"), None, error
    return ("held_local" if sent.held_local else "sent"), sent, None


def record_outcome(
    *,
    db_session: Session,
    claim: Claim,
    worker: str,
    outcome: str,
    sent: Sent | None,
    error: SendError | None,
    now: datetime,
) -> Notification | None:
    """Store how the attempt ended; returns the notification if this worker still held it."""
    attempt = db_session.get(NotificationAttempt, claim.attempt_id)
    attempt.finished_at = now
    attempt.outcome = outcome
    attempt.provider_sid = sent.sid if sent else None
    attempt.http_status = error.http_status if error else None
    attempt.error = str(error) if error else None
    notification = db_session.get(Notification, claim.notification_id, with_for_update=True)
    if notification.status != "sending" or notification.lease_owner != worker:
        # The lease ran out and another worker took over; it will find what this one sent.
        log.warning("notification %s: lease lost before recording %s", notification.id, outcome)
        db_session.commit()
        return None
    notification.lease_owner = None
    notification.lease_until = None
    if outcome in ("sent", "found_sent"):
        notification.status = "sent"
        notification.provider_sid = sent.sid
        notification.sent_at = now
        notification.last_error = None
    elif outcome == "held_local":
        notification.status = "held_local"
        notification.sent_at = now
    elif outcome == "rejected" or notification.attempts >= MAX_ATTEMPTS:
        notification.status = "failed"
        notification.last_error = str(error)
    else:  # provider_error, timeout, lookup_failed: try again later
        # In doubt stays in doubt until the provider has been asked whether it took the message.
        notification.status = "in_doubt" if (error and error.in_doubt) or claim.in_doubt else "pending"
        notification.next_attempt_at = now + backoff(notification.attempts)
        notification.last_error = str(error)
    db_session.commit()
    return notification


def record_delivery_status(
    *, db_session: Session, provider_sid: str, status: str, now: datetime
) -> Notification | None:
    """Apply a provider's delivery report (delivered, undelivered, failed) to the notification."""
    notification = db_session.scalar(select(Notification).where(Notification.provider_sid == provider_sid))
    if notification is None:
        return None
    attempt = db_session.scalar(
        select(NotificationAttempt).where(NotificationAttempt.provider_sid == provider_sid)
    )
    if attempt is not None:
        attempt.delivery_status = status
    if status == "delivered" and notification.status in ("sent", "delivered"):
        notification.status = "delivered"
        notification.delivered_at = now
    elif status in ("undelivered", "failed") and notification.status in ("sent", "delivered"):
        notification.status = "undelivered"
        notification.last_error = f"provider reported {status}"
    db_session.flush()
    return notification


def cancel_unsent(*, db_session: Session, escalation_id: int, kind: str = "page") -> int:
    """Stop pages of an escalation that have not left yet (it was acknowledged)."""
    return db_session.execute(
        update(Notification)
        .where(
            Notification.escalation_id == escalation_id,
            Notification.kind == kind,
            Notification.status.in_(DUE_STATUSES),
        )
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    ).rowcount


def beat(*, db_session: Session, worker: str, now: datetime) -> None:
    """Note that this worker is alive."""
    heartbeat = db_session.get(WorkerHeartbeat, worker)
    if heartbeat is None:
        db_session.add(WorkerHeartbeat(worker=worker, beat_at=now))
    else:
        heartbeat.beat_at = now
    db_session.commit()


def last_beat(*, db_session: Session) -> datetime | None:
    """Return when any worker last finished a loop."""
    return db_session.scalar(select(WorkerHeartbeat.beat_at).order_by(WorkerHeartbeat.beat_at.desc()).limit(1))
