"""The outbox never loses a page and never sends one twice: provider errors, timeouts, crashes, races."""

import threading

import pytest
from sqlalchemy import select

from api.escalation.models import EscalationStep
from api.outbox import service as outbox
from api.outbox.models import Notification, NotificationAttempt
from api.outbox.senders import TwilioSender
from tests.conftest import paging_settings
from tests.escalation.conftest import KAI, SAM, open_escalation


def attempts(session):
    session.expire_all()
    return [(a.number, a.outcome) for a in session.scalars(select(NotificationAttempt).order_by(NotificationAttempt.id))]


def test_twilio_429_is_retried_without_asking_first(session, clock, make_worker, twilio, paging_db):
    open_escalation(session, now=clock())
    twilio.fail_next(429)
    twilio.fail_lookups(1)  # a lookup would fail: proves none is made for a plain "too many requests"
    worker = make_worker(paging_db)
    worker.run_once()
    clock.advance(seconds=2)
    worker.run_once()
    assert len(twilio.to(SAM)) == 1
    assert attempts(session) == [(1, "provider_error"), (2, "sent")]


def test_twilio_500_is_retried_with_backoff_and_sent_once(session, clock, make_worker, twilio, paging_db):
    open_escalation(session, now=clock())
    twilio.fail_next(500, times=2)
    worker = make_worker(paging_db)
    worker.run_once()
    worker.run_once()  # too early: waiting 2 s
    clock.advance(seconds=2)
    worker.run_once()
    clock.advance(seconds=4)
    worker.run_once()
    assert [m.to for m in twilio.messages] == [SAM]
    # A 500 may come after Twilio took the message, so each retry asks Twilio first (and finds nothing).
    assert attempts(session) == [(1, "provider_error"), (2, "provider_error"), (3, "sent")]
    notification = session.scalars(select(Notification)).one()
    assert (notification.status, notification.provider_sid) == ("sent", twilio.messages[0].sid)


def test_a_timeout_after_twilio_took_the_page_is_found_and_not_sent_again(session, clock, make_worker, twilio, paging_db):
    open_escalation(session, now=clock())
    twilio.slow_next(2.5)  # Twilio takes it but answers after the 1 s client timeout
    worker = make_worker(paging_db)
    worker.run_once()
    assert attempts(session) == [(1, "timeout")]
    clock.advance(seconds=2)
    worker.run_once()
    assert len(twilio.to(SAM)) == 1
    assert attempts(session) == [(1, "timeout"), (2, "found_sent")]
    assert session.scalars(select(Notification.status)).one() == "sent"


def test_a_lookup_that_keeps_failing_sends_anyway_rather_than_lose_the_page(session, clock, make_worker, twilio, paging_db):
    open_escalation(session, now=clock())
    twilio.fail_next(503)
    twilio.fail_lookups(5)
    worker = make_worker(paging_db)
    for _ in range(4):
        worker.run_once()
        clock.advance(seconds=20)
    assert len(twilio.to(SAM)) == 1
    outcomes = [outcome for _, outcome in attempts(session)]
    assert outcomes == ["provider_error", "lookup_failed", "lookup_failed", "sent"]


class Killed(BaseException):
    """The worker process dies here (SIGKILL, power cut): nothing after this line runs."""


class DiesAfterSending:
    def __init__(self, real):
        self.real, self.configured = real, True

    def send(self, **kwargs):
        self.real.send(**kwargs)
        raise Killed

    def find_sent(self, **kwargs):
        return self.real.find_sent(**kwargs)


def test_a_worker_killed_between_sending_and_recording_does_not_page_twice(session, clock, make_worker, twilio, paging_db):
    open_escalation(session, now=clock())
    real = TwilioSender(paging_settings(paging_db, twilio))
    with pytest.raises(Killed):
        make_worker(paging_db, name="doomed", sender=DiesAfterSending(real)).run_once()
    assert len(twilio.to(SAM)) == 1
    survivor = make_worker(paging_db, name="survivor")
    survivor.run_once()
    assert len(twilio.to(SAM)) == 1  # the lease of the dead worker still holds
    clock.advance(seconds=31)  # the lease runs out
    survivor.run_once()
    assert len(twilio.to(SAM)) == 1
    assert attempts(session) == [(1, None), (2, "found_sent")]
    assert session.scalars(select(Notification.status)).one() == "sent"


def test_a_rejected_number_fails_the_page_and_moves_the_chain_on_at_once(session, clock, make_worker, twilio, paging_db):
    open_escalation(session, now=clock())
    twilio.fail_next(400)
    worker = make_worker(paging_db)
    worker.run_once()
    worker.run_once()
    assert [m.to for m in twilio.messages] == [KAI]
    steps = session.scalars(select(EscalationStep).order_by(EscalationStep.id)).all()
    assert [(s.target, s.status) for s in steps] == [("primary", "failed"), ("backup", "paging")]


def test_an_undelivered_report_moves_the_chain_to_the_backup(session, clock, make_worker, twilio, paging_db, client_for):
    clock.follow_real_time()  # the api takes the report on the real clock
    open_escalation(session, now=clock())
    worker = make_worker(paging_db)
    worker.run_once()
    client = client_for(paging_db, paging_settings(paging_db, twilio))
    from tests.conftest import PUBLIC_BASE_URL

    [page] = twilio.messages
    path, form, headers = twilio.status_report(PUBLIC_BASE_URL, page, "undelivered")
    response = client.post(path, data=form, headers=headers)
    assert response.status_code == 204, response.text
    worker.run_once()
    assert [m.to for m in twilio.messages] == [SAM, KAI]
    session.expire_all()
    assert session.scalar(select(NotificationAttempt.delivery_status).where(NotificationAttempt.provider_sid == page.sid)) == "undelivered"


def test_ack_timeouts_survive_a_restart(paging_db, clock, make_worker, twilio, db_session_for):
    with db_session_for(paging_db) as first_session:
        open_escalation(first_session, now=clock())
    make_worker(paging_db, name="before-restart").run_once()
    clock.advance(minutes=10)  # the worker was down for ten minutes
    make_worker(paging_db, name="after-restart").run_once()
    assert [m.to for m in twilio.messages] == [SAM, KAI]


def test_two_workers_at_once_send_every_page_exactly_once(session, clock, make_worker, twilio, paging_db):
    for n in range(30):
        open_escalation(session, now=clock(), key=f"yp-{n}")
    workers = [make_worker(paging_db, name=f"worker-{n}") for n in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def run(worker):
        barrier.wait()
        try:
            for _ in range(10):
                worker.run_once()
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(twilio.messages) == 30
    assert len({m.body for m in twilio.messages}) == 30
    assert set(session.scalars(select(Notification.status)).all()) == {"sent"}
    senders = {a.worker for a in session.scalars(select(NotificationAttempt))}
    assert senders <= {"worker-0", "worker-1"}


def test_two_advances_at_once_start_each_step_once(session, clock, make_worker, twilio, paging_db):
    for n in range(10):
        open_escalation(session, now=clock(), key=f"yp-{n}")
    first, second = make_worker(paging_db, name="a"), make_worker(paging_db, name="b")
    first.run_once()
    clock.advance(seconds=301)
    threads = [threading.Thread(target=w.run_once) for w in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first.run_once()
    assert len(twilio.to(SAM)) == 10 and len(twilio.to(KAI)) == 10
    assert session.scalar(select(EscalationStep.id).where(EscalationStep.round == 1, EscalationStep.position == 1).limit(1))
    assert len(session.scalars(select(EscalationStep)).all()) == 20


def test_enqueue_twice_with_one_key_queues_once(session, clock):
    first = outbox.enqueue(db_session=session, kind="staff_reply", to_number=SAM, body="x", dedupe_key="k", now=clock())
    second = outbox.enqueue(db_session=session, kind="staff_reply", to_number=SAM, body="y", dedupe_key="k", now=clock())
    session.commit()
    assert first.id == second.id
    assert session.scalars(select(Notification.body)).all() == ["x"]
