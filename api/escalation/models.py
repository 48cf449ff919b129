"""Safeguarding assessments of messages, and the escalations they open."""

import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.database.core import Base
from api.database.types import UTCDateTime, utcnow

SEVERITIES = ("none", "low", "medium", "high", "critical")
ACTIVE = "status != 'resolved'"


def new_reference() -> str:
    """Return a short reference a duty worker can type back, such as 4821."""
    return str(1000 + secrets.randbelow(9000))


class Escalation(Base):
    """A disclosure that needs a human; one active escalation per conversation gathers every flagged message."""

    __tablename__ = "escalation"
    __table_args__ = (
        Index(
            "uq_escalation_active_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text(ACTIVE),
            postgresql_where=text(ACTIVE),
        ),
        Index(
            "uq_escalation_active_reference",
            "reference",
            unique=True,
            sqlite_where=text(ACTIVE),
            postgresql_where=text(ACTIVE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(8), default=new_reference)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, acknowledged, resolved
    severity: Mapped[str] = mapped_column(String(8))
    categories: Mapped[list] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When Rasa's escalation action also saw it (the api opens it first, without waiting for Rasa).
    engine_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    assessments: Mapped[list["Assessment"]] = relationship(back_populates="escalation")


class Assessment(Base):
    """What the safeguarding detector found in one inbound message."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), unique=True
    )
    escalate: Mapped[bool] = mapped_column(Boolean)
    severity: Mapped[str] = mapped_column(String(8))
    categories: Mapped[list] = mapped_column(JSON, default=list)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    escalation_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalation.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    escalation: Mapped[Escalation | None] = relationship(back_populates="assessments")
