"""Young people who text the service: their number (encrypted), opt-out, blocks, and each text received."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.database.core import Base
from api.database.types import UTCDateTime, utcnow


class SmsContact(Base):
    """A phone number that has texted us, stored encrypted and found by a keyed hash."""

    __tablename__ = "sms_contact"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    phone_hash: Mapped[str] = mapped_column(String(64), unique=True)
    phone_encrypted: Mapped[str] = mapped_column(Text)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The first reply says how to opt out and what that means.
    welcomed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    opt_out_keyword: Mapped[str | None] = mapped_column(String(16), nullable=True)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    blocked_by: Mapped[str | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    block_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    conversation = relationship("Conversation")


class InboundSms(Base):
    """One text from a young person, deduplicated by Twilio's MessageSid and answered in order."""

    __tablename__ = "inbound_sms"
    __table_args__ = (Index("ix_inbound_sms_contact_status", "contact_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("sms_contact.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # text, media, empty, keyword
    num_media: Mapped[int] = mapped_column(Integer, default=0)
    # receiving: the webhook is still taking it in; pending: to answer; processing: a worker is
    # answering it; done; quiet: stored and assessed
    # but not answered (opted out, blocked, rate limited, taken over)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    quiet_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    already_escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DeletionRequest(Base):
    """A young person asked for their data to be removed; a worker confirms before anything goes."""

    __tablename__ = "deletion_request"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued, done, refused
    # Safeguarding records are kept as the law requires; the young person is told so.
    has_safeguarding_records: Mapped[bool] = mapped_column(Boolean, default=False)
    handled_by: Mapped[str | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
