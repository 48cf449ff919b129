"""Read a team's rota from a YAML file and find what is wrong with it, before anyone relies on it."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from api.oncall.models import ROLES
from api.sms.phones import E164

GAP_LOOKAHEAD = timedelta(days=14)


class RotaError(ValueError):
    """The file cannot be used at all; the message says why in plain words."""


class PersonIn(BaseModel):
    """A person as written in the file."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_-]{1,32}$")
    name: str = Field(min_length=1, max_length=120)
    phone: str | None = Field(default=None, pattern=E164.pattern)
    email: str | None = None
    role: str = "duty_worker"

    @field_validator("role")
    @classmethod
    def known_role(cls, role: str) -> str:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        return role


class PeriodIn(BaseModel):
    """A period of cover in local time, such as {person: sam, start: "2026-01-01T00:00", end: ...}."""

    model_config = ConfigDict(extra="forbid")

    person: str
    start: datetime
    end: datetime
    reason: str | None = None


class OverrideIn(PeriodIn):
    """A change to the rota for sickness or a swap: who covers as primary or backup instead."""

    kind: str = "primary"

    @field_validator("kind")
    @classmethod
    def known_kind(cls, kind: str) -> str:
        if kind not in ("primary", "backup"):
            raise ValueError("kind must be primary or backup")
        return kind


class EscalationIn(BaseModel):
    """How long to wait for an acknowledgement and how often to go round the chain."""

    model_config = ConfigDict(extra="forbid")

    ack_timeout_seconds: int = Field(default=300, ge=30, le=3600)
    repeat: int = Field(default=3, ge=1, le=10)


class RotaFile(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid")

    team: dict = Field(default_factory=lambda: {"id": "duty", "name": "Duty team"})
    timezone: str = "Europe/London"
    people: list[PersonIn]
    rota: list[PeriodIn] = Field(default_factory=list)
    backup: list[PeriodIn] = Field(default_factory=list)
    overrides: list[OverrideIn] = Field(default_factory=list)
    managers: list[str] = Field(default_factory=list)
    escalation: EscalationIn = Field(default_factory=EscalationIn)

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r}") from None
        return name

    @model_validator(mode="after")
    def people_exist(self) -> "RotaFile":
        ids = [person.id for person in self.people]
        if len(ids) != len(set(ids)):
            raise ValueError("two people have the same id")
        phones = [p.phone for p in self.people if p.phone]
        if len(phones) != len(set(phones)):
            raise ValueError("two people have the same phone number")
        known = set(ids)
        named = [p.person for p in (*self.rota, *self.backup, *self.overrides)] + self.managers
        unknown = sorted({name for name in named if name not in known})
        if unknown:
            raise ValueError(f"unknown people named in the rota: {', '.join(unknown)}")
        if not self.managers:
            raise ValueError("name at least one manager: they are paged last and told about gaps")
        return self


@dataclass(frozen=True)
class Period:
    """A period of cover in UTC."""

    kind: str
    person: str
    start: datetime
    end: datetime
    is_override: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class Problem:
    """Something wrong with the rota that a manager must hear about."""

    kind: str  # empty_period, overlap, gap (primary cover), backup_gap, no_phone
    message: str
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Rota:
    """A checked rota ready to store."""

    spec: RotaFile
    periods: list[Period]
    problems: list[Problem]


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """Read a time written in the team's zone; an offset written in the file is respected."""
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _show(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %Y %H:%M")


def uncovered(periods: list[Period], *, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Return the stretches between start and end that no period covers."""
    gaps, cursor = [], start
    for period in sorted(periods, key=lambda p: p.start):
        if period.end <= cursor:
            continue
        if period.start > cursor:
            gaps.append((cursor, min(period.start, end)))
        cursor = max(cursor, period.end)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return [(a, b) for a, b in gaps if b > a]


def check(spec: RotaFile, *, now: datetime) -> Rota:
    """Turn the file into UTC periods and list empty periods, overlaps, gaps and missing phones."""
    zone = ZoneInfo(spec.timezone)
    problems: list[Problem] = []
    periods: list[Period] = []
    sources = [("primary", p, False) for p in spec.rota] + [("backup", p, False) for p in spec.backup]
    sources += [(o.kind, o, True) for o in spec.overrides]
    for kind, raw, is_override in sources:
        start, end = _local(raw.start, zone), _local(raw.end, zone)
        label = f"{'override' if is_override else kind} for {raw.person}"
        if end <= start:
            problems.append(
                Problem("empty_period", f"The {label} from {_show(start, zone)} ends before it starts; it is ignored.")
            )
            continue
        periods.append(Period(kind, raw.person, start, end, is_override, raw.reason))

    for kind in ("primary", "backup"):
        plain = sorted((p for p in periods if p.kind == kind and not p.is_override), key=lambda p: p.start)
        for earlier, later in zip(plain, plain[1:]):
            if later.start < earlier.end:
                problems.append(
                    Problem(
                        "overlap",
                        f"{kind.capitalize()} periods of {earlier.person} and {later.person} overlap from "
                        f"{_show(later.start, zone)} to {_show(min(earlier.end, later.end), zone)}; "
                        f"{earlier.person} (the earlier period) is paged.",
                        later.start,
                        min(earlier.end, later.end),
                    )
                )

    horizon = now + GAP_LOOKAHEAD
    for kind in ("primary", "backup"):
        for start, end in uncovered([p for p in periods if p.kind == kind], start=now, end=horizon):
            until = "onwards" if end >= horizon else f"to {_show(end, zone)}"
            who = "duty worker" if kind == "primary" else "backup"
            fallback = "alerts go straight to the managers" if kind == "primary" else "the chain skips to the managers"
            problems.append(
                Problem("gap" if kind == "primary" else "backup_gap", f"No {who} on call from {_show(start, zone)} {until}: {fallback}.", start, end)
            )

    people = {p.id: p for p in spec.people}
    for name in sorted({p.person for p in periods} | set(spec.managers)):
        if not people[name].phone:
            problems.append(Problem("no_phone", f"{people[name].name} is on the rota but has no phone number."))
    return Rota(spec=spec, periods=periods, problems=problems)


def read_rota_file(path: str | Path, *, now: datetime) -> Rota:
    """Read and check a rota file; raise RotaError with plain words if it cannot be used."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RotaError(f"cannot read the rota file {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise RotaError(f"the rota file {path} is not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise RotaError(f"the rota file {path} must hold a mapping with people, rota and managers")
    try:
        spec = RotaFile.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "file"
        raise RotaError(f"the rota file {path} has a problem at {where}: {first['msg']}") from None
    return check(spec, now=now)
