"""The durable outbox: every SMS the service sends, and every attempt to send it."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.database.core import Base
from api.database.types import UTCDateTime, utcnow

# pending: waiting to be sent (again); sending: claimed by a worker; in_doubt: the provider may or
# may not have taken it (a timeout or a worker that died mid-send), so ask the provider before
# sending again; sent, delivered: done; undelivered, failed: gave up; held_local: no provider is
# configured and the message waits on the local outbox page; cancelled: a page no longer needed.
STATUSES = (
    "pending", "sending", "in_doubt", "sent", "delivered", "undelivered", "failed", "held_local", "cancelled"
)
DUE_STATUSES = ("pending", "in_doubt")
FAILED_STATUSES = ("undelivered", "failed")


class Notification(Base):
    """One SMS to send: a page to staff, a reply to staff or to a young person, a rota alert."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(24))  # page, staff_reply, rota_alert, young_person
    to_number: Mapped[str] = mapped_column(String(20))  # empty for young people (see sms_contact_id)
    body: Mapped[str] = mapped_column(Text)
    person_id: Mapped[str | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    escalation_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalation.id", ondelete="CASCADE"), nullable=True, index=True
    )
    step_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalation_step.id", ondelete="CASCADE"), nullable=True, index=True
    )
    # A text to a young person names their contact: the number stays encrypted until the moment of sending.
    sms_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_contact.id", ondelete="CASCADE"), nullable=True
    )
    # Makes enqueueing idempotent: the same page for the same step is only ever queued once.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), nullable=True, unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    provider_sid: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A page's signed link acknowledges once; later visits only show what happened.
    link_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    attempts_made: Mapped[list["NotificationAttempt"]] = relationship(
        back_populates="notification", order_by="NotificationAttempt.id"
    )


class NotificationAttempt(Base):
    """One try at handing a notification to the SMS provider, and how it ended."""

    __tablename__ = "notification_attempt"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    worker: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # sent, found_sent (it had gone before a crash), provider_error, timeout, rejected, held_local
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    provider_sid: Mapped[str | None] = mapped_column(String(64), nullable=True)
    delivery_status: Mapped[str | None] = mapped_column(String(16), nullable=True)

    notification: Mapped[Notification] = relationship(back_populates="attempts_made")


class WorkerHeartbeat(Base):
    """When each outbox worker last finished a loop, so /health can tell if paging has stopped."""

    __tablename__ = "worker_heartbeat"

    worker: Mapped[str] = mapped_column(String(64), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
