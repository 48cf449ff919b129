"""The paging chain on a controllable clock: primary, backup, manager, rounds, acknowledgement, gaps."""

import re

from sqlalchemy import select

from api.audit.models import AuditEvent
from api.escalation import paging
from api.escalation.models import Escalation, EscalationStep
from api.oncall.models import Person
from api.oncall.load import load
from api.outbox.models import Notification
from tests.escalation.conftest import KAI, MO, SAM, open_escalation, write_rota


def bodies(twilio, number):
    return [m.body for m in twilio.to(number)]


def test_a_disclosure_pages_the_on_call_worker_with_a_reference_and_link_but_no_words(session, clock, make_worker, twilio, paging_db):
    escalation = open_escalation(session, now=clock())
    make_worker(paging_db).run_once()
    [page] = twilio.to(SAM)
    assert page.from_ == "+447700900999"
    assert re.fullmatch(
        rf"Careline HIGH safeguarding alert, ref {escalation.reference}\. "
        rf"Reply ACK {escalation.reference} or open https://careline\.test/a/\S+",
        page.body,
    )
    assert twilio.to(KAI) == twilio.to(MO) == []
    assert page.status_callback == "https://careline.test/sms/twilio/status"


def test_no_ack_pages_backup_then_manager_then_repeats_up_to_the_cap(session, clock, make_worker, twilio, paging_db):
    escalation = open_escalation(session, now=clock())
    worker = make_worker(paging_db)
    worker.run_once()
    clock.advance(seconds=299)
    worker.run_once()
    assert len(twilio.messages) == 1  # not yet: the timeout is 300 s
    for expected in (KAI, MO, SAM, KAI, MO, SAM, KAI, MO):
        clock.advance(seconds=301)
        worker.run_once()
        assert twilio.messages[-1].to == expected
    assert "Reminder 2 of 3." in bodies(twilio, SAM)[1]
    assert "Reminder 3 of 3." in bodies(twilio, MO)[2]
    clock.advance(seconds=301)
    worker.run_once()
    clock.advance(hours=2)
    worker.run_once()
    assert len(twilio.messages) == 9  # three rounds of three, then the chain stops
    session.expire_all()
    assert session.get(Escalation, escalation.id).paging_status == "exhausted"
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(escalation.id))).all()
    assert actions.count("escalation.paged") == 9 and "escalation.chain_exhausted" in actions


def test_an_acknowledgement_stops_the_chain_and_tells_nobody_else_needlessly(session, clock, make_worker, twilio, paging_db):
    escalation = open_escalation(session, now=clock())
    worker = make_worker(paging_db)
    worker.run_once()
    sam = session.get(Person, "sam")
    result = paging.acknowledge(db_session=session, escalation=escalation, person=sam, via="test", now=clock.advance(seconds=60))
    session.commit()
    assert result.outcome == "acknowledged"
    clock.advance(hours=3)
    worker.run_once()
    assert [m.to for m in twilio.messages] == [SAM]
    steps = session.scalars(select(EscalationStep).where(EscalationStep.escalation_id == escalation.id)).all()
    assert [(s.target, s.status) for s in steps] == [("primary", "acknowledged")]


def test_a_late_ack_after_the_chain_moved_on_is_accepted_and_the_backup_is_told(session, clock, make_worker, twilio, paging_db):
    escalation = open_escalation(session, now=clock())
    worker = make_worker(paging_db)
    worker.run_once()
    clock.advance(seconds=301)
    worker.run_once()  # the backup is paged
    sam = session.get(Person, "sam")
    result = paging.acknowledge(db_session=session, escalation=escalation, person=sam, via="test", now=clock.advance(seconds=30))
    session.commit()
    assert result.outcome == "acknowledged"
    worker.run_once()
    assert bodies(twilio, KAI)[-1].startswith(f"Careline ref {escalation.reference} was acknowledged by Sam Duty")
    clock.advance(hours=1)
    worker.run_once()
    assert twilio.to(MO) == []
    again = paging.acknowledge(db_session=session, escalation=escalation, person=session.get(Person, "kai"), via="test", now=clock())
    assert (again.outcome, again.by.id) == ("already", "sam")


def test_unsent_pages_are_cancelled_by_an_acknowledgement(session, clock, make_worker, twilio, paging_db):
    escalation = open_escalation(session, now=clock())
    paging.acknowledge(db_session=session, escalation=escalation, person=session.get(Person, "sam"), via="test", now=clock())
    session.commit()
    make_worker(paging_db).run_once()
    assert twilio.messages == []
    assert session.scalars(select(Notification.status).where(Notification.kind == "page")).all() == ["cancelled"]


def test_critical_pages_primary_and_backup_together_then_the_manager(session, clock, make_worker, twilio, paging_db):
    open_escalation(session, now=clock(), severity="critical", categories=["immediate_danger"])
    worker = make_worker(paging_db)
    worker.run_once()
    assert sorted(m.to for m in twilio.messages) == sorted([SAM, KAI])
    assert all("CRITICAL" in m.body for m in twilio.messages)
    clock.advance(seconds=301)
    worker.run_once()
    assert twilio.messages[-1].to == MO


def test_becoming_critical_while_paging_pages_the_backup_at_once(session, clock, make_worker, twilio, paging_db):
    escalation = open_escalation(session, now=clock(), severity="medium")
    worker = make_worker(paging_db)
    worker.run_once()
    open_escalation(session, now=clock.advance(seconds=20), severity="critical", categories=["immediate_danger"])
    worker.run_once()
    assert [m.to for m in twilio.messages] == [SAM, KAI]
    assert "CRITICAL" in twilio.messages[1].body
    session.expire_all()
    assert session.get(Escalation, escalation.id).severity == "critical"


def test_a_gap_in_the_rota_pages_the_manager_and_says_so(database_url, clock, db_session_for, make_worker, twilio, tmp_path):
    rota = write_rota(
        tmp_path,
        """
people:
  - {id: sam, name: Sam Duty, phone: "+447700900001"}
  - {id: mo, name: Mo Manager, phone: "+447700900003", role: manager}
rota:
  - {person: sam, start: "2026-11-23T09:00", end: "2026-11-24T01:00"}
  - {person: sam, start: "2026-11-24T09:00", end: "2026-12-31T09:00"}
managers: [mo]
""",
    )
    problems = load(rota, database_url=database_url, now=clock.now.replace(hour=0))
    assert any("No duty worker on call from Tue 24 Nov 2026 01:00 to Tue 24 Nov 2026 09:00" in p for p in problems)
    session = db_session_for(database_url)
    escalation = open_escalation(session, now=clock())  # 03:00, inside the gap
    make_worker(database_url).run_once()
    to_manager = bodies(twilio, MO)
    assert any(b.startswith("Careline rota problem: No duty worker on call") for b in to_manager)
    assert any("Nobody is on the duty rota now, so this comes to you." in b and escalation.reference in b for b in to_manager)
    assert twilio.to(SAM) == []
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "rota.gap")) is not None


def test_reloading_the_rota_does_not_text_the_manager_about_the_same_gap_twice(database_url, clock, make_worker, twilio, tmp_path):
    rota = write_rota(
        tmp_path,
        """
people:
  - {id: sam, name: Sam Duty, phone: "+447700900001"}
  - {id: mo, name: Mo Manager, phone: "+447700900003", role: manager}
rota:
  - {person: sam, start: "2026-11-20T09:00", end: "2026-11-25T09:00"}
managers: [mo]
""",
    )
    load(rota, database_url=database_url, now=clock())
    load(rota, database_url=database_url, now=clock.advance(minutes=5))
    make_worker(database_url).run_once()
    assert [m.body for m in twilio.messages] == [
        "Careline rota problem: No duty worker on call from Wed 25 Nov 2026 09:00 onwards: alerts go straight to the managers."
    ]
