"""Staff act through the real doors: a signed SMS reply "ACK 4821", the signed link in the page."""

import re

import pytest
from sqlalchemy import select

from api.audit.models import AuditEvent
from api.escalation.models import Escalation
from api.outbox.models import Notification
from tests.conftest import PUBLIC_BASE_URL, new_conversation_id, paging_settings
from tests.escalation.conftest import KAI, MO, SAM
from tests.fake_twilio import signed

DISCLOSURE = "my step dad hits me when hes drunk"  # high: pages the primary first


@pytest.fixture
def app(paging_db, twilio, client_for, clock):
    clock.follow_real_time()  # the app runs on the real clock; the worker follows it here
    return client_for(paging_db, paging_settings(paging_db, twilio))


def disclose(app, conversation_id=None):
    conversation_id = conversation_id or new_conversation_id()
    response = app.post("/chat/messages", json={"conversation_id": conversation_id, "text": DISCLOSURE})
    assert response.status_code == 200
    return conversation_id


def text_from(app, number, body, sid="SM" + "1" * 32):
    path, form, headers = signed(PUBLIC_BASE_URL, "/sms/twilio/staff", {"From": number, "Body": body, "MessageSid": sid})
    return app.post(path, data=form, headers=headers)


def link_in(body):
    return re.search(r"https://careline\.test(/a/\S+)", body).group(1)


def test_a_disclosure_in_the_web_chat_pages_the_on_call_phone(app, make_worker, twilio, paging_db, session):
    disclose(app)
    make_worker(paging_db).run_once()
    [page] = twilio.messages
    escalation = session.scalars(select(Escalation)).one()
    assert page.to == SAM and f"ref {escalation.reference}" in page.body
    assert "step dad" not in page.body and "YP-" not in page.body  # no words, no pseudonym


@pytest.mark.parametrize("reply", ["ACK {ref}", "ack{ref}", "Akc {ref}", "acknowledged #{ref}", " ACK  {ref}. "])
def test_ack_by_sms_stops_the_chain_and_confirms(app, make_worker, twilio, paging_db, session, clock, reply):
    disclose(app)
    worker = make_worker(paging_db)
    worker.run_once()
    ref = session.scalars(select(Escalation)).one().reference
    response = text_from(app, SAM, reply.format(ref=ref))
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/xml")
    worker.run_once()
    assert twilio.messages[-1].to == SAM
    assert twilio.messages[-1].body.startswith(f"Thanks Sam, ref {ref} is yours. Nobody else will be paged.")
    clock.advance(hours=1)
    worker.run_once()
    assert twilio.to(KAI) == twilio.to(MO) == []
    session.expire_all()
    escalation = session.scalars(select(Escalation)).one()
    assert (escalation.status, escalation.acknowledged_by) == ("acknowledged", "sam")


def test_an_ack_with_the_wrong_ref_changes_nothing_and_says_which_are_open(app, make_worker, twilio, paging_db, session):
    disclose(app)
    worker = make_worker(paging_db)
    worker.run_once()
    ref = session.scalars(select(Escalation)).one().reference
    wrong = "0000" if ref != "0000" else "1111"
    text_from(app, SAM, f"ACK {wrong}")
    worker.run_once()
    assert twilio.messages[-1].body == (
        f"Careline: no open alert matches ref {wrong}. Reply ACK and the 4-digit ref, e.g. ACK 4821. Your open alerts: {ref}."
    )
    session.expire_all()
    assert session.scalars(select(Escalation)).one().status == "open"


def test_a_retried_webhook_gets_one_answer(app, make_worker, twilio, paging_db, session):
    disclose(app)
    worker = make_worker(paging_db)
    worker.run_once()
    ref = session.scalars(select(Escalation)).one().reference
    for _ in range(3):
        assert text_from(app, SAM, f"ACK {ref}", sid="SM" + "7" * 32).status_code == 200
    worker.run_once()
    assert len([m for m in twilio.to(SAM) if m.body.startswith("Thanks")]) == 1


def test_a_text_from_an_unknown_number_gets_helplines_and_pages_nobody(app, session):
    response = text_from(app, "+447700900555", "ACK 1234")
    assert response.status_code == 200
    assert "Childline free on 0800 1111" in response.text and "999" in response.text
    assert session.scalars(select(Notification)).all() == []


def test_unsigned_forged_or_wrongly_encoded_webhooks_are_refused_and_keep_nothing(app, session):
    form = {"From": SAM, "Body": "ACK 1234", "MessageSid": "SM" + "2" * 32}
    assert app.post("/sms/twilio/staff", data=form).status_code == 403
    assert app.post("/sms/twilio/staff", data=form, headers={"X-Twilio-Signature": "forged"}).status_code == 403
    path, signed_form, headers = signed(PUBLIC_BASE_URL, "/sms/twilio/staff", form)
    tampered = {**signed_form, "Body": "ACK 9999"}
    assert app.post(path, data=tampered, headers=headers).status_code == 403
    path, signed_form, headers = signed(PUBLIC_BASE_URL, "/sms/twilio/staff", form, token="someone-elses-token")
    assert app.post(path, data=signed_form, headers=headers).status_code == 403
    assert app.post(path, json=form, headers=headers).status_code == 415
    assert app.post("/sms/twilio/status", data={"MessageSid": "x", "MessageStatus": "failed"}).status_code == 403
    assert session.scalars(select(Notification)).all() == []
    assert session.scalars(select(AuditEvent).where(AuditEvent.action.like("staff_sms%"))).all() == []


def test_the_link_acknowledges_once_and_never_shows_the_words(app, make_worker, twilio, paging_db, session):
    disclose(app)
    make_worker(paging_db).run_once()
    link = link_in(twilio.messages[0].body)
    before = app.get(link)
    assert before.status_code == 200 and "Acknowledge: I" in before.text
    acked = app.post(link + "/acknowledge", follow_redirects=False)
    assert acked.status_code == 303
    after = app.get(acked.headers["location"])
    assert "This alert is yours" in after.text and "Acknowledge: I" not in after.text
    assert "step dad" not in after.text  # a forwarded text gives nothing away
    escalation = session.scalars(select(Escalation)).one()
    assert f'href="/staff/escalations/{escalation.id}"' in after.text
    again = app.post(link + "/acknowledge")
    assert "already acknowledged by Sam Duty" in again.text
    # The staff page behind it asks for a sign-in and comes back to the alert.
    staff = app.get(f"/staff/escalations/{escalation.id}", follow_redirects=False)
    assert staff.headers["location"] == f"/staff/login?next=/staff/escalations/{escalation.id}"


def test_someone_elses_link_after_the_ack_shows_who_has_it(app, make_worker, twilio, paging_db, session, clock):
    disclose(app)
    worker = make_worker(paging_db)
    worker.run_once()
    clock.advance(seconds=301)
    worker.run_once()
    sam_link, kai_link = link_in(twilio.to(SAM)[0].body), link_in(twilio.to(KAI)[0].body)
    app.post(sam_link + "/acknowledge")
    page = app.get(kai_link)
    assert "Acknowledged by Sam Duty" in page.text and "step dad" not in page.text


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "9" + t, lambda t: "nonsense"])
def test_a_tampered_link_is_refused(app, make_worker, twilio, paging_db, mangle):
    disclose(app)
    make_worker(paging_db).run_once()
    token = link_in(twilio.messages[0].body).removeprefix("/a/")
    response = app.get("/a/" + mangle(token))
    assert response.status_code == 404 and "cannot be used" in response.text
    assert app.post("/a/" + mangle(token) + "/acknowledge").status_code == 404
