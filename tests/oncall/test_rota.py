"""Rota files: what is wrong with them is reported at load; who is on call follows London time and overrides."""

from datetime import datetime, timezone

import pytest

from api.escalation.commands import parse
from api.oncall import service
from api.oncall.load import main as load_main
from api.oncall.rota import RotaError, read_rota_file
from tests.conftest import DEMO_ROTA

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
PEOPLE = """
people:
  - {id: sam, name: Sam Duty, phone: "+447700900001"}
  - {id: kai, name: Kai Backup, phone: "+447700900002"}
  - {id: mo, name: Mo Manager, phone: "+447700900003", role: manager}
managers: [mo]
"""


def rota(tmp_path, body, now=NOW):
    path = tmp_path / "rota.yml"
    path.write_text(PEOPLE + body)
    return read_rota_file(path, now=now)


def test_the_demo_rota_loads_without_problems():
    assert read_rota_file(DEMO_ROTA, now=NOW).problems == []


def test_overlapping_and_empty_periods_are_reported(tmp_path):
    checked = rota(
        tmp_path,
        """
rota:
  - {person: sam, start: "2026-11-23T09:00", end: "2026-11-30T09:00"}
  - {person: kai, start: "2026-11-29T09:00", end: "2026-12-31T09:00"}
  - {person: kai, start: "2026-12-05T09:00", end: "2026-12-05T09:00"}
backup:
  - {person: kai, start: "2026-01-01T00:00", end: "2027-01-01T00:00"}
""",
    )
    messages = [p.message for p in checked.problems]
    assert "The primary for kai from Sat 05 Dec 2026 09:00 ends before it starts; it is ignored." in messages
    assert (
        "Primary periods of sam and kai overlap from Sun 29 Nov 2026 09:00 to Mon 30 Nov 2026 09:00; "
        "sam (the earlier period) is paged." in messages
    )
    assert [p.kind for p in checked.problems] == ["empty_period", "overlap"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("rota:\n  - {person: zed, start: '2026-01-01T00:00', end: '2027-01-01T00:00'}\n", "unknown people named in the rota: zed"),
        ("escalation: {ack_timeout_seconds: 5}\n", "escalation.ack_timeout_seconds"),
        ("colour: blue\n", "colour"),
    ],
)
def test_a_file_that_cannot_be_used_says_why(tmp_path, body, expected):
    with pytest.raises(RotaError, match=expected):
        rota(tmp_path, body)


def test_a_file_without_managers_or_with_bad_yaml_is_refused(tmp_path):
    (tmp_path / "a.yml").write_text("people: [{id: sam, name: Sam}]\n")
    with pytest.raises(RotaError, match="name at least one manager"):
        read_rota_file(tmp_path / "a.yml", now=NOW)
    (tmp_path / "b.yml").write_text("people: [unclosed\n")
    with pytest.raises(RotaError, match="not valid YAML"):
        read_rota_file(tmp_path / "b.yml", now=NOW)
    with pytest.raises(RotaError, match="cannot read"):
        read_rota_file(tmp_path / "missing.yml", now=NOW)


def test_the_load_command_prints_problems_and_refuses_a_broken_file(tmp_path, capsys, monkeypatch, sqlite_url):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    from api.config import get_settings

    get_settings.cache_clear()
    try:
        broken = tmp_path / "broken.yml"
        broken.write_text("people: []\nmanagers: [mo]\n")
        assert load_main([str(broken)]) == 1
        assert "Rota not loaded" in capsys.readouterr().out
        assert load_main([str(DEMO_ROTA)]) == 0
        assert "Rota loaded from" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()


def test_rota_times_are_london_wall_clock_times_across_daylight_saving(tmp_path, db_session_for, sqlite_url):
    checked = rota(
        tmp_path,
        """
rota:
  - {person: sam, start: "2027-03-27T09:00", end: "2027-03-28T09:00"}
  - {person: kai, start: "2027-03-28T09:00", end: "2027-03-29T09:00"}
""",
        now=datetime(2027, 3, 27, 12, 0, tzinfo=timezone.utc),
    )
    session = db_session_for(sqlite_url)
    service.sync_team(db_session=session, rota=checked)
    # 09:00 in London is 09:00 UTC before the clocks go forward and 08:00 UTC after.
    on = lambda hour, day: service.who_is_on_call(db_session=session, team_id="duty", at=datetime(2027, 3, day, hour, 0, tzinfo=timezone.utc))
    assert on(8, 27).primary is None and on(9, 27).primary.id == "sam"
    assert on(7, 28).primary.id == "sam" and on(8, 28).primary.id == "kai"


def test_an_override_for_sickness_replaces_the_primary_for_its_hours(tmp_path, db_session_for, sqlite_url):
    checked = rota(
        tmp_path,
        """
rota:
  - {person: sam, start: "2026-11-01T00:00", end: "2026-12-01T00:00"}
overrides:
  - {kind: primary, person: kai, start: "2026-11-24T00:00", end: "2026-11-24T09:00", reason: Sam off sick}
""",
    )
    session = db_session_for(sqlite_url)
    service.sync_team(db_session=session, rota=checked)
    assert service.who_is_on_call(db_session=session, team_id="duty", at=NOW).primary.id == "kai"
    later = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
    assert service.who_is_on_call(db_session=session, team_id="duty", at=later).primary.id == "sam"


@pytest.mark.parametrize(
    ("text", "kind", "ref"),
    [
        ("ACK 4821", "ack", "4821"), ("ack4821", "ack", "4821"), ("Akc 4821", "ack", "4821"),
        ("acknowlege 4821", "ack", "4821"), ("ok 4821", "ack", "4821"), ("ACK", "ack", None),
        ("ack 48", "ack", None), ("who is this", "unknown", None), ("back 4821", "unknown", None),
        ("", "unknown", None), ("4821", "unknown", None),
    ],
)
def test_staff_replies_are_read_with_typos_tolerated(text, kind, ref):
    command = parse(text)
    assert (command.kind, command.reference) == (kind, ref)
