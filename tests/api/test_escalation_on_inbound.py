"""The api assesses every inbound message itself and records an escalation, Rasa or no Rasa."""

import httpx
import pytest
from sqlalchemy import select

from api.escalation.models import Assessment, Escalation
from bot.messages import ESCALATION_FOLLOW_UP_REPLIES, ESCALATION_REPLIES
from tests.conftest import new_conversation_id

DISCLOSURE = "my step dad hits me when hes drunk and im scared to go home"


def say(client, conversation_id, text):
    response = client.post("/chat/messages", json={"conversation_id": conversation_id, "text": text})
    assert response.status_code == 200
    return [reply["text"] for reply in response.json()["replies"]]


def escalations(db_session_for, url):
    return list(db_session_for(url).scalars(select(Escalation)))


def test_every_message_gets_an_assessment(client, db_session_for, sqlite_url):
    conversation = new_conversation_id()
    say(client, conversation, "hiya")
    say(client, conversation, "this homework is killing me lol")
    assessments = list(db_session_for(sqlite_url).scalars(select(Assessment).order_by(Assessment.id)))
    assert [(a.escalate, a.escalation_id) for a in assessments] == [(False, None), (False, None)]
    assert escalations(db_session_for, sqlite_url) == []


@pytest.mark.parametrize("rasa_failure", [None, httpx.ConnectError("refused")], ids=["rasa-up", "rasa-down"])
def test_a_disclosure_is_escalated_and_answered_even_if_rasa_is_down(
    client, rasa, db_session_for, sqlite_url, rasa_failure
):
    rasa.failure = rasa_failure
    rasa.replies = [{"text": "Hi 👋"}]  # a Rasa that missed it (or is not there) changes nothing
    replies = say(client, new_conversation_id(), DISCLOSURE)
    assert replies == list(ESCALATION_REPLIES)
    joined = " ".join(replies)
    assert "999" in joined and "0800 1111" in joined and "duty social worker" in joined
    assert "secret" not in joined.replace("can't keep this just between us", "")
    [escalation] = escalations(db_session_for, sqlite_url)
    assert escalation.status == "open"
    assert escalation.severity in {"medium", "high", "critical"}
    assert "physical_abuse" in escalation.categories or "domestic_abuse" in escalation.categories
    assert escalation.reference.isdigit() and len(escalation.reference) == 4


def test_rasa_replies_are_kept_when_they_already_carry_the_escalation(client, rasa):
    rasa.replies = [{"text": text} for text in ESCALATION_REPLIES]
    assert say(client, new_conversation_id(), DISCLOSURE) == list(ESCALATION_REPLIES)


def test_rasa_is_given_the_recent_history_for_split_disclosures(client, rasa):
    conversation = new_conversation_id()
    for text in ["one", "two", "three", "four"]:
        say(client, conversation, text)
    assert rasa.requests[-1]["metadata"]["history"] == ["one", "two", "three"]


def test_one_active_escalation_per_conversation_gathers_later_disclosures(client, db_session_for, sqlite_url):
    conversation = new_conversation_id()
    assert say(client, conversation, DISCLOSURE) == list(ESCALATION_REPLIES)
    follow_up = say(client, conversation, "i took 20 paracetamol 💊 an hour ago")
    assert follow_up == list(ESCALATION_FOLLOW_UP_REPLIES)  # not the whole speech again
    assert "999" in " ".join(follow_up)
    [escalation] = escalations(db_session_for, sqlite_url)
    assert escalation.severity == "critical"
    assert {"physical_abuse", "suicide"} <= set(escalation.categories) or "substance" in escalation.categories
    flagged = list(
        db_session_for(sqlite_url).scalars(select(Assessment).where(Assessment.escalation_id == escalation.id))
    )
    assert len(flagged) == 2


def test_separate_conversations_get_separate_escalations(client, db_session_for, sqlite_url):
    say(client, new_conversation_id(), DISCLOSURE)
    say(client, new_conversation_id(), DISCLOSURE)
    assert len(escalations(db_session_for, sqlite_url)) == 2


def test_a_split_disclosure_is_caught_across_messages(client, db_session_for, sqlite_url):
    conversation = new_conversation_id()
    say(client, conversation, "theres this older guy")
    say(client, conversation, "he gives me weed and a new phone")
    replies = say(client, conversation, "now he says i owe him and have to take a bag to birmingham")
    assert replies in (list(ESCALATION_REPLIES), list(ESCALATION_FOLLOW_UP_REPLIES))
    [escalation] = escalations(db_session_for, sqlite_url)
    assert "criminal_exploitation" in escalation.categories


def test_a_negated_worry_gets_a_gentle_check_not_a_page(client, rasa, db_session_for, sqlite_url):
    from bot.messages import GENTLE_CHECK

    rasa.replies = [{"text": "OK 👍"}]
    replies = say(client, new_conversation_id(), "dont worry id never kill myself")
    assert replies == ["OK 👍", GENTLE_CHECK]
    assert escalations(db_session_for, sqlite_url) == []


def test_the_gentle_check_takes_the_place_of_did_not_understand(client, rasa, db_session_for, sqlite_url):
    from bot.messages import GENTLE_CHECK, NOT_UNDERSTOOD

    menu = "You can ask me to: get help now, message your social worker, or do your return interview."
    rasa.replies = [{"text": NOT_UNDERSTOOD[0]}, {"text": menu}]
    replies = say(client, new_conversation_id(), "dont worry id never kill myself")
    assert replies == [GENTLE_CHECK, menu]
    assert escalations(db_session_for, sqlite_url) == []


def test_rasa_says_it_did_not_understand_in_the_words_the_api_looks_for():
    import yaml

    from bot.messages import NOT_UNDERSTOOD
    from tests.conftest import ROOT

    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    said = {r["text"] for name in ("utter_default", "utter_out_of_scope") for r in responses[name]}
    assert said == set(NOT_UNDERSTOOD)


def test_hyperbole_gets_no_check_and_no_page(client, rasa, db_session_for, sqlite_url):
    rasa.replies = [{"text": "Sorry, I can't help with that one."}]
    assert say(client, new_conversation_id(), "this homework is killing me") == ["Sorry, I can't help with that one."]
    assert escalations(db_session_for, sqlite_url) == []
