"""Teams, the people in them, and who is on call when."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.database.core import Base
from api.database.types import UTCDateTime, utcnow

ROLES = ("duty_worker", "manager", "advocate", "admin")
SHIFT_KINDS = ("primary", "backup")


class Team(Base):
    """A duty team with its own rota and escalation rules."""

    __tablename__ = "team"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    ack_timeout_seconds: Mapped[int] = mapped_column(Integer, default=300)
    repeat: Mapped[int] = mapped_column(Integer, default=3)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    people: Mapped[list["Person"]] = relationship(back_populates="team", order_by="Person.id")
    managers: Mapped[list["Person"]] = relationship(
        secondary="team_manager", order_by="Person.id", viewonly=True
    )


class Person(Base):
    """A member of staff who can be paged."""

    __tablename__ = "person"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True, unique=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    active: Mapped[bool] = mapped_column(default=True)

    team: Mapped[Team] = relationship(back_populates="people")


class TeamManager(Base):
    """A manager of a team: paged last in every round, and told about gaps in cover."""

    __tablename__ = "team_manager"

    team_id: Mapped[str] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[str] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )


class Shift(Base):
    """A period when a person is primary or backup; overrides (sickness, swaps) win over the rota."""

    __tablename__ = "shift"
    __table_args__ = (Index("ix_shift_team_kind_start", "team_id", "kind", "start_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # primary or backup
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    is_override: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="file")  # file, or app for later edits

    person: Mapped[Person] = relationship()
