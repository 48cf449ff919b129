"""A conversation through POST /chat/messages with Rasa, the action server and the api all running."""

import uuid

import httpx
import pytest

pytestmark = pytest.mark.live


def new_id() -> str:
    return str(uuid.uuid4())


def test_everything_reports_healthy(live_stack):
    report = httpx.get(f"{live_stack.api_url}/health", timeout=10).json()
    assert report["status"] == "ok", report
    assert report["components"]["rasa"]["detail"].startswith("Hello from Rasa: 3.6.21")


@pytest.mark.parametrize(
    "said, expected",
    [
        ("hi", "I'm the Careline chat bot"),
        ("I need help", "Childline any time on 0800 1111"),
        ("can I talk to my social worker", "get back to you"),
        ("I want to do my return interview", "A return interview is your chance"),
        ("I don't feel safe", "Thank you for telling me"),
        ("what is this?", "I'm a chat bot, not a person"),
    ],
)
def test_each_request_gets_a_kind_sensible_answer(live_stack, said, expected):
    replies = live_stack.say(new_id(), said)
    assert any(expected in reply for reply in replies), replies


def test_a_conversation_remembers_what_was_asked(live_stack):
    conversation = new_id()
    assert any("return interview" in r for r in live_stack.say(conversation, "can i do my rhi"))
    assert any("what was going on for you before you went" in r for r in live_stack.say(conversation, "yeah ok"))
    assert any("danger" in r for r in live_stack.say(conversation, "bye"))


def test_gibberish_gets_the_kind_fallback_and_the_menu(live_stack):
    replies = live_stack.say(new_id(), "qwzx vbnm plok")
    assert replies[0] == "Sorry, I didn't get that. Could you say it another way?"
    assert "What would you like?" in replies[1]


def test_the_transcript_is_stored(live_stack):
    conversation = new_id()
    live_stack.say(conversation, "hello")
    rows = live_stack.query(
        "SELECT m.direction, m.author, m.engine_status, m.text FROM message m "
        "JOIN conversation c ON c.id = m.conversation_id "
        "WHERE c.external_key = :key ORDER BY m.id",
        key=conversation,
    )
    assert rows[0] == ("in", "young_person", "answered", "hello")
    assert [r[0] for r in rows[1:]] == ["out"] * (len(rows) - 1) and len(rows) >= 2
    assert all(r[1] == "bot" for r in rows[1:])


@pytest.mark.parametrize(
    "disclosure",
    [
        "my mums boyfriend hits me and im scared to go home",  # NLU: feel_unsafe
        "theres a man outside my room with a knife",  # NLU: fallback; only the detector sees it
        "i wanna kms tonight ive got all my pills 💊",  # NLU: fallback; only the detector sees it
    ],
)
def test_a_disclosure_is_escalated_by_rasa_and_the_action_server_too(live_stack, disclosure):
    from bot.messages import ESCALATION_REPLIES

    conversation = new_id()
    live_stack.say(conversation, "hi")
    replies = live_stack.say(conversation, disclosure)
    assert replies == list(ESCALATION_REPLIES)
    [(status, confirmed)] = live_stack.query(
        "SELECT e.status, e.engine_confirmed_at FROM escalation e "
        "JOIN conversation c ON c.id = e.conversation_id WHERE c.external_key = :key",
        key=conversation,
    )
    assert status == "open"
    assert confirmed is not None, "Rasa's policy and the escalation action did not run"
    # ...and then the young person carries on
    assert any("safe right now" in r for r in live_stack.say(conversation, "yes"))


@pytest.mark.stops_rasa
def test_when_rasa_stops_the_young_person_gets_helplines_and_the_chat_recovers(live_stack):
    conversation = new_id()
    live_stack.say(conversation, "hiya")
    live_stack.stop("rasa")

    # an ordinary message: a disclosure gets the disclosure reply instead (the test above)
    replies = live_stack.say(conversation, "can i ask about my contact with my brother this weekend")
    assert len(replies) == 1
    assert "999" in replies[0] and "0800 1111" in replies[0] and "saved" in replies[0]
    health = httpx.get(f"{live_stack.api_url}/health", timeout=10).json()
    assert health["status"] == "degraded" and health["components"]["rasa"]["status"] == "down"

    [(kept,)] = live_stack.query(
        "SELECT engine_status FROM message WHERE text = :t", t="can i ask about my contact with my brother this weekend"
    )
    assert kept == "engine_unavailable"

    live_stack.start_rasa()
    assert any("Careline chat bot" in r for r in live_stack.say(conversation, "hello again"))
