"""Store a team's rota and answer who is on call at a given moment."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.database.types import utcnow
from api.oncall.models import Person, Shift, Team, TeamManager
from api.oncall.rota import Rota
from api.sms.phones import E164


@dataclass(frozen=True)
class OnCall:
    """Who to page at one moment; a missing primary is a gap in cover."""

    primary: Person | None
    backup: Person | None
    managers: list[Person]


def sync_team(*, db_session: Session, rota: Rota) -> Team:
    """Make the database hold the team, people and shifts of a checked rota file."""
    spec = rota.spec
    team_id = str(spec.team.get("id", "duty"))
    team = db_session.get(Team, team_id) or Team(id=team_id)
    team.name = str(spec.team.get("name", "Duty team"))
    team.timezone = spec.timezone
    team.ack_timeout_seconds = spec.escalation.ack_timeout_seconds
    team.repeat = spec.escalation.repeat
    team.updated_at = utcnow()
    db_session.add(team)
    db_session.flush()

    for entry in spec.people:
        person = db_session.get(Person, entry.id) or Person(id=entry.id)
        person.team_id = team.id
        person.name, person.role, person.phone, person.email = entry.name, entry.role, entry.phone, entry.email
        person.active = True
        db_session.add(person)
    listed = {entry.id for entry in spec.people}
    for person in db_session.scalars(select(Person).where(Person.team_id == team.id)):
        if person.id not in listed:
            person.active = False  # kept for the audit trail and old escalations
    db_session.flush()

    db_session.execute(delete(TeamManager).where(TeamManager.team_id == team.id))
    db_session.add_all(TeamManager(team_id=team.id, person_id=name) for name in dict.fromkeys(spec.managers))
    db_session.execute(delete(Shift).where(Shift.team_id == team.id, Shift.source == "file"))
    db_session.add_all(
        Shift(
            team_id=team.id,
            kind=period.kind,
            person_id=period.person,
            start_at=period.start,
            end_at=period.end,
            is_override=period.is_override,
            reason=period.reason,
            source="file",
        )
        for period in rota.periods
    )
    db_session.flush()
    audit.record(
        db_session=db_session,
        actor="system",
        action="rota.loaded",
        subject_type="team",
        subject_id=team.id,
        details={"shifts": len(rota.periods), "problems": [p.message for p in rota.problems]},
    )
    return team


def default_team(*, db_session: Session) -> Team | None:
    """Return the team escalations go to (the first one loaded)."""
    return db_session.scalar(select(Team).order_by(Team.id).limit(1))


def _on_shift(*, db_session: Session, team_id: str, kind: str, at: datetime) -> Person | None:
    shifts = db_session.scalars(
        select(Shift)
        .join(Person, Person.id == Shift.person_id)
        .where(
            Shift.team_id == team_id,
            Shift.kind == kind,
            Shift.start_at <= at,
            Shift.end_at > at,
            Person.active.is_(True),
        )
        # An override wins over the rota; among equals the earlier period, as the file check says.
        .order_by(Shift.is_override.desc(), Shift.start_at, Shift.id)
    ).all()
    return shifts[0].person if shifts else None


def who_is_on_call(*, db_session: Session, team_id: str, at: datetime) -> OnCall:
    """Return the primary, the backup and the managers of a team at this moment."""
    primary = _on_shift(db_session=db_session, team_id=team_id, kind="primary", at=at)
    backup = _on_shift(db_session=db_session, team_id=team_id, kind="backup", at=at)
    if backup is not None and primary is not None and backup.id == primary.id:
        backup = None
    managers = list(
        db_session.scalars(
            select(Person)
            .join(TeamManager, TeamManager.person_id == Person.id)
            .where(TeamManager.team_id == team_id, Person.active.is_(True))
            .order_by(Person.id)
        )
    )
    return OnCall(primary=primary, backup=backup, managers=managers)


def person_by_phone(*, db_session: Session, phone: str) -> Person | None:
    """Return the active member of staff with this phone number (None for anything not a number)."""
    if not E164.match(phone or ""):
        return None
    return db_session.scalar(select(Person).where(Person.phone == phone, Person.active.is_(True)))
