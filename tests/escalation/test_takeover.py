"""A duty worker takes over: the young person is told, the bot goes quiet, replies reach the web chat."""

import pytest
from sqlalchemy import select

from api.audit.models import AuditEvent
from api.escalation.models import Escalation
from api.takeover.models import Takeover
from tests.conftest import new_conversation_id, paging_settings
from tests.escalation.conftest import SAM
from tests.escalation.test_staff_doors import disclose, link_in


@pytest.fixture
def app(paging_db, twilio, client_for, clock):
    clock.follow_real_time()
    return client_for(paging_db, paging_settings(paging_db, twilio))


@pytest.fixture
def owned(app, make_worker, twilio, paging_db):
    """A disclosure, paged and acknowledged by Sam through the link: (conversation id, link, worker)."""
    conversation_id = disclose(app, new_conversation_id())
    worker = make_worker(paging_db)
    worker.run_once()
    link = link_in(twilio.to(SAM)[0].body)
    app.post(link + "/acknowledge")
    return conversation_id, link, worker


def updates(app, conversation_id, after=0):
    response = app.get("/chat/messages", params={"conversation_id": conversation_id, "after": after})
    assert response.status_code == 200
    return response.json()["messages"]


def say(app, conversation_id, text):
    response = app.post("/chat/messages", json={"conversation_id": conversation_id, "text": text})
    assert response.status_code == 200
    return response.json()["replies"]


def test_takeover_tells_the_young_person_a_real_person_is_here_and_replies_reach_them(app, owned, rasa, twilio, session):
    conversation_id, link, worker = owned
    last = updates(app, conversation_id)[-1]["id"]
    assert app.post(link + "/takeover").status_code == 200
    [hello] = updates(app, conversation_id, after=last)
    assert hello["author"] == "system"
    assert hello["text"].startswith("Hi, this is Sam, a duty social worker. I'm a real person")

    asked_rasa = len(rasa.requests)
    assert say(app, conversation_id, "is it really a person") == []  # the bot stays quiet
    assert len(rasa.requests) == asked_rasa
    worker.run_once()
    assert twilio.to(SAM)[-1].body.endswith("the young person has replied. Open your alert link to read it.")
    assert "really a person" not in twilio.to(SAM)[-1].body

    page = app.get(link)
    assert "is it really a person" in page.text and "Hand back to the bot" in page.text
    app.post(link + "/reply", data={"text": "Yes, I'm Sam. Are you safe right now?"})
    [reply] = updates(app, conversation_id, after=hello["id"])
    assert (reply["author"], reply["text"]) == ("staff", "Yes, I'm Sam. Are you safe right now?")

    app.post(link + "/handback")
    [back] = updates(app, conversation_id, after=reply["id"])
    assert back["text"].startswith("Sam has finished chatting for now, so you're back with the Careline bot.")
    say(app, conversation_id, "ok thanks")
    assert len(rasa.requests) == asked_rasa + 1
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("takeover.%"))).all()
    assert actions == ["takeover.started", "takeover.replied", "takeover.ended"]


def test_a_takeover_with_a_silent_worker_goes_back_to_the_bot(app, owned, clock, twilio, session):
    conversation_id, link, worker = owned
    app.post(link + "/takeover")
    clock.advance(minutes=21)
    assert worker.run_once().takeovers_ended == 1
    texts = [m["text"] for m in updates(app, conversation_id)]
    assert texts[-1].startswith("The duty social worker has had to step away, so you're back with the Careline bot.")
    assert "999" in texts[-1]
    worker.run_once()
    assert "no reply from you for 20 min" in twilio.to(SAM)[-1].body
    assert session.scalars(select(Takeover.end_reason)).all() == ["idle"]


def test_a_young_persons_html_shows_as_text_on_the_staff_page(app, owned, session):
    conversation_id, link, _ = owned
    app.post(link + "/takeover")
    say(app, conversation_id, '<script>alert("x")</script><img src=x onerror=alert(1)>')
    page = app.get(link).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_resolving_needs_an_outcome_and_hands_back(app, owned, session):
    conversation_id, link, _ = owned
    app.post(link + "/takeover")
    assert app.post(link + "/resolve", data={"outcome": "   "}).status_code == 404
    app.post(link + "/resolve", data={"outcome": "Spoke to YP, police welfare check done, safe with carer."})
    session.expire_all()
    escalation = session.scalars(select(Escalation)).one()
    assert (escalation.status, escalation.resolved_by) == ("resolved", "sam")
    assert escalation.outcome.startswith("Spoke to YP")
    assert session.scalars(select(Takeover.end_reason)).all() == ["resolved"]


def test_the_web_chat_of_another_conversation_sees_nothing(app, owned):
    conversation_id, link, _ = owned
    app.post(link + "/takeover")
    assert updates(app, new_conversation_id()) == []
    assert app.get("/chat/messages", params={"conversation_id": "x"}).status_code == 422
