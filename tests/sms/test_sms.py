"""Young people use the service by SMS: signed webhooks, once-only handling, opt-out, privacy, safety."""

import logging

import httpx
from sqlalchemy import select, text

from api.conversations.models import Conversation, Message
from api.escalation.models import Escalation
from api.outbox.models import Notification
from api.sms.models import DeletionRequest, InboundSms, SmsContact
from api.sms.segments import graphemes, segments
from bot.messages import ENGINE_UNAVAILABLE, ESCALATION_REPLIES, SMS_HELP, SMS_MEDIA_ONLY, SMS_OPT_OUT_NOTICE, SMS_STOPPED
from tests.conftest import PUBLIC_BASE_URL
from tests.escalation.conftest import SAM
from tests.fake_twilio import signed
from tests.sms.conftest import YP, Phone


def test_a_text_gets_the_assistants_reply_and_the_first_reply_says_how_to_opt_out(phone, rasa):
    rasa.replies = [{"text": "Hi 👋 I'm the Careline chat bot."}]
    phone.text("hiya")
    assert phone.inbox() == ["Hi 👋 I'm the Careline chat bot.", SMS_OPT_OUT_NOTICE]
    assert rasa.requests[0]["message"] == "hiya" and rasa.requests[0]["metadata"]["channel"] == "sms"
    phone.text("and again")
    assert phone.inbox()[2:] == ["Hi 👋 I'm the Careline chat bot."]  # the notice comes once
    assert rasa.requests[0]["sender"] == rasa.requests[1]["sender"]  # the conversation carries on


def test_a_retried_webhook_is_answered_once(phone, rasa, session):
    for _ in range(3):
        phone.text("hiya", sid="SM" + "a" * 32)
    assert len(rasa.requests) == 1
    assert phone.inbox() == ["Hi 👋", SMS_OPT_OUT_NOTICE]
    assert session.scalar(select(text("count(*)")).select_from(InboundSms)) == 1


def test_a_retried_disclosure_is_escalated_once(phone, twilio, session):
    for _ in range(2):
        phone.text("my dad hits me and i have bruises", sid="SM" + "b" * 32)
    assert len(session.scalars(select(Escalation)).all()) == 1
    assert len(twilio.to(SAM)) == 1
    assert phone.inbox()[: len(ESCALATION_REPLIES)] == list(ESCALATION_REPLIES)


def test_texts_are_answered_in_the_order_they_arrived(app, twilio, worker, rasa):
    phone = Phone(app, twilio, worker)
    rasa.on_request = lambda body: rasa.replies.__setitem__(0, {"text": f"re: {body['message']}"})
    for n in range(4):
        phone.text(f"message {n}", answer=False)
    for _ in range(6):
        worker.answer_texts_once()
    worker.run_once()
    assert [r["message"] for r in rasa.requests] == [f"message {n}" for n in range(4)]
    assert [b for b in phone.inbox() if b.startswith("re:")] == [f"re: message {n}" for n in range(4)]


def test_a_flood_from_one_number_does_not_starve_another(app, twilio, worker, rasa, session):
    flooder, other = Phone(app, twilio, worker, "+447700900111"), Phone(app, twilio, worker, "+447700900222")
    for n in range(20):
        flooder.text(f"spam {n}", answer=False)
    other.text("hello", answer=False)
    worker.answer_texts_once()  # one pass takes the oldest text of each number
    assert "hello" in [r["message"] for r in rasa.requests]
    quiet = session.scalars(select(InboundSms.quiet_reason).where(InboundSms.status == "quiet")).all()
    assert quiet.count("rate_limited") == 12  # 8 a minute are answered, the rest are kept but not answered


def test_stop_stops_every_text_start_resumes_and_help_explains(phone, rasa):
    phone.text("hi")
    phone.text("STOP")
    assert phone.inbox()[-1] == SMS_STOPPED
    before = len(phone.inbox())
    phone.text("hello?")
    assert len(phone.inbox()) == before and len(rasa.requests) == 1
    phone.text("help")
    assert phone.inbox()[-1] == SMS_HELP
    phone.text("Start")
    assert phone.inbox()[-1].startswith("Welcome back to Careline.")
    phone.text("hi again")
    assert phone.inbox()[-1] == "Hi 👋"


def test_stop_inside_a_sentence_is_not_an_opt_out(phone, rasa):
    phone.text("please stop asking me that")
    assert rasa.requests[-1]["message"] == "please stop asking me that"
    phone.text("ok")
    assert phone.inbox()[-1] == "Hi 👋"


def test_a_disclosure_after_stop_still_reaches_a_human_but_sends_no_text(phone, twilio, session):
    phone.text("STOP")
    phone.text("theres a man outside my house and hes got a knife")
    assert session.scalars(select(Escalation.severity)).all() == ["critical"]
    assert twilio.to(SAM)  # the duty worker is paged
    assert phone.inbox() == [SMS_STOPPED]  # and the opted-out phone gets nothing more


def test_a_picture_without_words_gets_a_kind_reply(phone, rasa):
    phone.text("", media=1)
    assert phone.inbox()[0] == SMS_MEDIA_ONLY and rasa.requests == []


def test_long_and_unicode_replies_are_split_at_sentences_into_texts_that_fit(phone, rasa):
    long_reply = " ".join(f"Sentence number {n} is here to make this reply long. 👍🏽" for n in range(12))
    rasa.replies = [{"text": long_reply}]
    phone.text("tell me everything " + "ждём ответа 🙏" * 50)
    parts = phone.inbox()[:-1]
    assert len(parts) > 1 and all(segments(p) <= 2 for p in parts)
    assert " ".join(parts) == long_reply
    # No emoji is cut in two, and every text starts a sentence or an emoji, never mid-word.
    assert all("👍🏽" in graphemes(p) and "👍" not in graphemes(p) and "🏽" not in graphemes(p) for p in parts)
    assert all(p.startswith(("Sentence", "👍🏽")) for p in parts)


def test_rasa_down_still_gets_the_safe_fallback_by_text(phone, rasa):
    rasa.failure = httpx.ConnectError("refused")
    phone.text("hi")
    assert phone.inbox()[0] == ENGINE_UNAVAILABLE


def test_numbers_are_encrypted_and_found_by_a_keyed_hash(phone, session, paging_db):
    phone.text("hi")
    contact = session.scalars(select(SmsContact)).one()
    assert YP not in contact.phone_encrypted and YP not in contact.phone_hash
    conversation = session.get(Conversation, contact.conversation_id)
    assert YP not in conversation.external_key
    to_young_person = session.scalars(select(Notification).where(Notification.kind == "young_person")).all()
    assert to_young_person and all(n.to_number == "" for n in to_young_person)


def test_logs_never_hold_message_text_or_numbers(phone, caplog, rasa):
    caplog.set_level(logging.DEBUG)
    rasa.failure = httpx.ConnectError("refused")
    phone.text("my secret words")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "my secret words" not in logged and YP not in logged and YP[1:] not in logged


def test_delete_is_queued_and_the_young_person_is_told_what_is_kept(phone, session):
    phone.text("my dad hits me and i have bruises")
    phone.text("DELETE")
    assert "We have to keep anything about keeping you safe" in phone.inbox()[-1]
    request = session.scalars(select(DeletionRequest)).one()
    assert (request.status, request.has_safeguarding_records) == ("queued", True)
    assert session.scalars(select(Message)).all()  # nothing is deleted until a worker confirms


def test_unsigned_or_forged_texts_are_refused_and_nothing_is_kept(app, session):
    form = {"From": YP, "Body": "hi", "MessageSid": "SM" + "c" * 32}
    assert app.post("/sms/twilio", data=form).status_code == 403
    assert app.post("/sms/twilio", data=form, headers={"X-Twilio-Signature": "bm9wZQ=="}).status_code == 403
    assert session.scalars(select(Message)).all() == []


def test_malformed_webhooks_get_a_clear_error(app, session):
    for form in ({"Body": "hi"}, {"From": "not a number", "Body": "hi", "MessageSid": "SM1"}, {"From": YP, "MessageSid": "SM2", "NumMedia": "lots"}):
        path, signed_form, headers = signed(PUBLIC_BASE_URL, "/sms/twilio", form)
        response = app.post(path, data=signed_form, headers=headers)
        assert response.status_code in (400, 422) and "error" in response.json()
    assert session.scalars(select(Message)).all() == []


def test_a_blocked_number_is_kept_and_assessed_but_never_answered(phone, session, twilio, clock):
    from api.sms.service import block

    phone.text("hi")
    contact = session.scalars(select(SmsContact)).one()
    block(db_session=session, contact=contact, person_id="mo", reason="abuse", now=clock())
    session.commit()
    before = len(phone.inbox())
    phone.text("my dad hits me and i have bruises")
    assert len(phone.inbox()) == before
    assert session.scalars(select(Escalation)).all() and twilio.to(SAM)


def test_a_duty_workers_takeover_and_replies_reach_the_phone(phone, twilio, session, clock):
    from api.escalation import paging
    from api.oncall.models import Person
    from api.takeover import service as takeover

    phone.text("my dad hits me and i have bruises")
    escalation, sam = session.scalars(select(Escalation)).one(), session.get(Person, "sam")
    paging.acknowledge(db_session=session, escalation=escalation, person=sam, via="test", now=clock())
    handover = takeover.start(db_session=session, escalation=escalation, person=sam, now=clock())
    takeover.staff_reply(db_session=session, takeover=handover, text="I'm Sam. Are you somewhere safe right now?", now=clock())
    session.commit()
    phone.worker.run_once()
    assert phone.inbox()[-2].startswith("Hi, this is Sam, a duty social worker.")
    assert phone.inbox()[-1] == "I'm Sam. Are you somewhere safe right now?"


def test_staff_replying_ack_to_the_one_service_number_acknowledges(phone, app, twilio, session):
    phone.text("my dad hits me and i have bruises")
    ref = session.scalars(select(Escalation)).one().reference
    staff = Phone(app, twilio, phone.worker, SAM)
    staff.text(f"ACK {ref}")
    assert staff.inbox()[-1].startswith(f"Thanks Sam, ref {ref} is yours.")
    session.expire_all()
    assert session.scalars(select(Escalation.status)).one() == "acknowledged"
    assert len(session.scalars(select(SmsContact)).all()) == 1  # staff are never taken for young people


def test_staff_see_who_opted_out_and_confirm_deletions(app, twilio, worker, session):
    from api.sms.admin import DELETION_DONE, DELETION_KEPT, confirm_deletion, opted_out

    quiet, safe, unsafe = (Phone(app, twilio, worker, n) for n in ("+447700900301", "+447700900302", "+447700900303"))
    quiet.text("hi")
    quiet.text("Stop")
    assert [(row[0][:3], row[2]) for row in opted_out(db_session=session)] == [("YP-", "STOP")]

    safe.text("hi")
    safe.text("DELETE")
    unsafe.text("my dad hits me and i have bruises")
    unsafe.text("DELETE")
    requests = {r.has_safeguarding_records: r for r in session.scalars(select(DeletionRequest))}
    assert confirm_deletion(db_session=session, request_id=requests[False].id, person_id="mo") == "done"
    assert confirm_deletion(db_session=session, request_id=requests[True].id, person_id="mo") == "kept"
    worker.run_once()
    assert safe.inbox()[-1] == DELETION_DONE and unsafe.inbox()[-1] == DELETION_KEPT
    remaining = session.scalars(select(Message.text).where(Message.conversation_id == requests[False].conversation_id)).all()
    assert remaining == [DELETION_DONE]
    assert session.scalars(select(Message).where(Message.conversation_id == requests[True].conversation_id)).all()


def test_a_text_whose_webhook_died_after_storing_it_is_assessed_and_answered_later(app, twilio, worker, session, clock, rasa):
    """The webhook stored the text, then its process died before the assessment: nothing is lost."""
    from api.conversations import service as conversations
    from api.sms.service import contact_for
    from tests.conftest import paging_settings

    settings = paging_settings("sqlite://", twilio)
    contact = contact_for(db_session=session, phone=YP, settings=settings)
    session.flush()
    message = conversations.add_inbound(db_session=session, conversation=contact.conversation, text="my dad hits me and i have bruises")
    session.add(InboundSms(message_sid="SM" + "d" * 32, contact_id=contact.id, message_id=message.id, kind="text", status="receiving", received_at=clock()))
    session.commit()
    assert worker.answer_texts_once() == 0  # it may still be on its way in
    clock.advance(seconds=61)
    assert worker.answer_texts_once() == 1
    worker.run_once()
    assert session.scalars(select(Escalation)).all() and twilio.to(SAM)
    assert [m.body for m in twilio.to(YP)][: len(ESCALATION_REPLIES)] == list(ESCALATION_REPLIES)
