"""Safeguarding assessments of messages, and the escalations they open."""

import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
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
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), nullable=True)
    # paging: the chain is running; stopped: acknowledged; exhausted: every round went unanswered;
    # unreachable: nobody on the rota could be paged (a manager must fix the rota).
    paging_status: Mapped[str] = mapped_column(String(16), default="paging")
    # The chain decided when paging started (critical pages primary and backup together).
    chain: Mapped[list] = mapped_column(JSON, default=list)
    severity: Mapped[str] = mapped_column(String(8))
    categories: Mapped[list] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When Rasa's escalation action also saw it (the api opens it first, without waiting for Rasa).
    engine_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    outcome: Mapped[str | None] = mapped_column(Text, nullable=True)

    assessments: Mapped[list["Assessment"]] = relationship(back_populates="escalation")
    steps: Mapped[list["EscalationStep"]] = relationship(
        back_populates="escalation", order_by="EscalationStep.id"
    )


class EscalationStep(Base):
    """One step of the paging chain: who was paged, in which round, and until when we wait."""

    __tablename__ = "escalation_step"
    # Two workers moving the chain on at once cannot both start the same step.
    __table_args__ = (
        UniqueConstraint("escalation_id", "round", "position"),
        Index("ix_escalation_step_due", "status", "ack_deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    # primary, backup, primary_and_backup, managers, or managers_gap when nobody was on the rota
    target: Mapped[str] = mapped_column(String(24))
    person_ids: Mapped[list] = mapped_column(JSON, default=list)
    # paging, timed_out, failed (no page could be delivered), acknowledged, stopped
    status: Mapped[str] = mapped_column(String(16), default="paging")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ack_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    escalation: Mapped[Escalation] = relationship(back_populates="steps")


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
