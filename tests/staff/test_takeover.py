"""A duty worker takes over on the staff pages: the young person is told, the bot goes quiet, replies reach them."""

import pytest
from sqlalchemy import select

from api.audit.models import AuditEvent
from api.escalation.models import Escalation
from api.takeover.models import Takeover
from tests.conftest import new_conversation_id
from tests.escalation.conftest import SAM
from tests.staff.conftest import csrf_of


@pytest.fixture
def owned(staff_app, as_role, make_worker, paging_db, session):
    """A disclosure, paged and acknowledged by Sam on the staff pages: (chat client, chat id, act, worker)."""
    chat, conversation_id = staff_app(), new_conversation_id()
    chat.post("/chat/messages", json={"conversation_id": conversation_id, "text": "my dad hits me and i have bruises"})
    worker = make_worker(paging_db)
    worker.run_once()
    sam = as_role("sam")
    escalation_id = session.scalars(select(Escalation.id)).one()

    def act(action, **data):
        page = sam.get(f"/staff/escalations/{escalation_id}")
        return sam.post(f"/staff/escalations/{escalation_id}/{action}", data={"csrf": csrf_of(page.text), **data})

    act("acknowledge")
    act.page = lambda: sam.get(f"/staff/escalations/{escalation_id}").text
    return chat, conversation_id, act, worker


def updates(chat, conversation_id, after=0):
    response = chat.get("/chat/messages", params={"conversation_id": conversation_id, "after": after})
    assert response.status_code == 200
    return response.json()["messages"]


def say(chat, conversation_id, text):
    response = chat.post("/chat/messages", json={"conversation_id": conversation_id, "text": text})
    assert response.status_code == 200
    return response.json()["replies"]


def test_takeover_tells_the_young_person_a_real_person_is_here_and_replies_reach_them(owned, rasa, twilio, session):
    chat, conversation_id, act, worker = owned
    last = updates(chat, conversation_id)[-1]["id"]
    assert act("takeover").status_code == 200
    [hello] = updates(chat, conversation_id, after=last)
    assert hello["author"] == "system"
    assert hello["text"].startswith("Hi, this is Sam, a duty social worker. I'm a real person")

    asked_rasa = len(rasa.requests)
    assert say(chat, conversation_id, "is it really a person") == []  # the bot stays quiet
    assert len(rasa.requests) == asked_rasa
    worker.run_once()
    assert twilio.to(SAM)[-1].body.endswith("the young person has replied. Open your alert link to read it.")
    assert "really a person" not in twilio.to(SAM)[-1].body

    page = act.page()
    assert "is it really a person" in page and "Hand back to the bot" in page
    act("reply", text="Yes, I'm Sam. Are you safe right now?")
    [reply] = updates(chat, conversation_id, after=hello["id"])
    assert (reply["author"], reply["text"]) == ("staff", "Yes, I'm Sam. Are you safe right now?")

    act("handback")
    [back] = updates(chat, conversation_id, after=reply["id"])
    assert back["text"].startswith("Sam has finished chatting for now, so you're back with the Careline bot.")
    say(chat, conversation_id, "ok thanks")
    assert len(rasa.requests) == asked_rasa + 1
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("takeover.%"))).all()
    assert actions == ["takeover.started", "takeover.replied", "takeover.ended"]


def test_a_takeover_with_a_silent_worker_goes_back_to_the_bot(owned, clock, twilio, session):
    chat, conversation_id, act, worker = owned
    act("takeover")
    clock.advance(minutes=21)
    assert worker.run_once().takeovers_ended == 1
    texts = [m["text"] for m in updates(chat, conversation_id)]
    assert texts[-1].startswith("The duty social worker has had to step away, so you're back with the Careline bot.")
    assert "999" in texts[-1]
    worker.run_once()
    assert "no reply from you for 20 min" in twilio.to(SAM)[-1].body
    assert session.scalars(select(Takeover.end_reason)).all() == ["idle"]


def test_resolving_needs_an_outcome_and_hands_back(owned, session):
    chat, conversation_id, act, _ = owned
    act("takeover")
    assert "Not done: say what was done before resolving" in act("resolve", outcome="   ").text
    act("resolve", outcome="Spoke to YP, police welfare check done, safe with carer.")
    session.expire_all()
    escalation = session.scalars(select(Escalation)).one()
    assert (escalation.status, escalation.resolved_by) == ("resolved", "sam")
    assert escalation.outcome.startswith("Spoke to YP")
    assert session.scalars(select(Takeover.end_reason)).all() == ["resolved"]


def test_the_web_chat_of_another_conversation_sees_nothing(owned, staff_app):
    chat, conversation_id, act, _ = owned
    act("takeover")
    assert updates(chat, new_conversation_id()) == []
    assert chat.get("/chat/messages", params={"conversation_id": "x"}).status_code == 422
