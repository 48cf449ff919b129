"""The audit trail: who did what, when; rows are only ever added."""

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from api.database.core import Base
from api.database.types import UTCDateTime, utcnow


class AuditEvent(Base):
    """One step taken by a person or by the system; the database refuses edits and deletions."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # "system", "person:sam", "young_person"
    action: Mapped[str] = mapped_column(String(64))  # "escalation.paged", "escalation.acknowledged"
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
