"""A duty worker talking to a young person in place of the bot."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.database.core import Base
from api.database.types import UTCDateTime, utcnow

ACTIVE = "ended_at IS NULL"


class Takeover(Base):
    """While active, the bot stays quiet in this conversation and the worker's replies go through."""

    __tablename__ = "takeover"
    __table_args__ = (
        Index(
            "uq_takeover_active_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text(ACTIVE),
            postgresql_where=text(ACTIVE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_staff_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)  # handed_back, idle, resolved

    person = relationship("Person")
