"""Office hours of children's services, in Europe/London time."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
OFFICE_OPENS = time(9, 0)
OFFICE_CLOSES = time(17, 0)


def to_london(moment: datetime) -> datetime:
    """Return an aware datetime shown in Europe/London time."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(LONDON)


def is_office_hours(moment: datetime) -> bool:
    """Return True on a weekday between 09:00 and 17:00 London time."""
    local = to_london(moment)
    return local.weekday() < 5 and OFFICE_OPENS <= local.time() < OFFICE_CLOSES


def next_office_opening(moment: datetime) -> datetime:
    """Return when the office next opens after this moment, in London time."""
    local = to_london(moment)
    day = local.date()
    if local.time() >= OFFICE_OPENS:
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, OFFICE_OPENS, tzinfo=LONDON)


def describe_next_opening(moment: datetime) -> str:
    """Return plain words for the next opening: 'tomorrow at 9am', 'on Monday at 9am'."""
    local = to_london(moment)
    opening = next_office_opening(moment)
    if opening.date() == local.date():
        return "today at 9am"
    if opening.date() == local.date() + timedelta(days=1):
        return "tomorrow at 9am"
    return f"on {opening.strftime('%A')} at 9am"
