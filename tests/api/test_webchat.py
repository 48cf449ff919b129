"""The web chat endpoint: messages kept first, Rasa's replies passed on, a safe reply when Rasa fails."""

import re

import httpx
import pytest
from sqlalchemy import select

from api.conversations.models import Conversation, Message
from tests.conftest import new_conversation_id


def post(client, text, conversation_id=None):
    return client.post(
        "/chat/messages", json={"conversation_id": conversation_id or new_conversation_id(), "text": text}
    )


def stored(db_session_for, url):
    session = db_session_for(url)
    return list(session.scalars(select(Message).order_by(Message.id)))


def test_reply_from_rasa_reaches_the_young_person(client, rasa):
    rasa.replies = [
        {"recipient_id": "x", "text": "Hi 👋 I'm the Careline chat bot."},
        {"recipient_id": "x", "text": "What would you like?", "buttons": [{"title": "Get help now", "payload": "/help"}]},
    ]
    response = post(client, "hiya")
    assert response.status_code == 200
    assert response.json() == {
        "replies": [
            {"id": 2, "author": "bot", "text": "Hi 👋 I'm the Careline chat bot.", "buttons": []},
            {
                "id": 3,
                "author": "bot",
                "text": "What would you like?",
                "buttons": [{"title": "Get help now", "payload": "/help"}],
            },
        ]
    }
    assert rasa.requests[0]["message"] == "hiya"


def test_rasa_knows_the_conversation_by_our_id_not_the_browsers(client, rasa, db_session_for, sqlite_url):
    browser_id = new_conversation_id()
    post(client, "hi", browser_id)
    conversation = db_session_for(sqlite_url).scalar(select(Conversation))
    assert rasa.requests[0]["sender"] == conversation.id != browser_id
    assert re.fullmatch(r"YP-[A-Z2-9]{6}", conversation.pseudonym)


def test_every_message_and_reply_is_stored_in_order(client, rasa, db_session_for, sqlite_url):
    conversation_id = new_conversation_id()
    rasa.replies = [{"text": "one"}, {"text": "two"}]
    post(client, "first", conversation_id)
    rasa.replies = [{"text": "three"}]
    post(client, "second", conversation_id)
    messages = stored(db_session_for, sqlite_url)
    assert [(m.direction, m.author, m.text) for m in messages] == [
        ("in", "young_person", "first"),
        ("out", "bot", "one"),
        ("out", "bot", "two"),
        ("in", "young_person", "second"),
        ("out", "bot", "three"),
    ]
    assert len({m.conversation_id for m in messages}) == 1
    assert all(m.created_at.tzinfo is not None for m in messages)


def test_the_message_is_stored_before_rasa_sees_it(client, rasa, db_session_for, sqlite_url):
    seen_when_rasa_called = []
    rasa.on_request = lambda body: seen_when_rasa_called.extend(
        (m.text, m.engine_status) for m in stored(db_session_for, sqlite_url)
    )
    post(client, "are u real")
    assert seen_when_rasa_called == [("are u real", "pending")]


def test_different_browsers_get_different_conversations(client, db_session_for, sqlite_url):
    post(client, "hi")
    post(client, "hi")
    conversations = list(db_session_for(sqlite_url).scalars(select(Conversation)))
    assert len(conversations) == 2
    assert conversations[0].pseudonym != conversations[1].pseudonym


@pytest.mark.parametrize(
    "failure, status_code, replies",
    [
        (httpx.ConnectError("refused"), 200, []),
        (httpx.ReadTimeout("slow"), 200, []),
        (None, 500, []),
        (None, 200, []),  # Rasa answered nothing at all
    ],
    ids=["rasa-down", "rasa-timeout", "rasa-500", "rasa-empty"],
)
def test_when_rasa_fails_the_young_person_gets_helplines_and_the_message_is_kept(
    client, rasa, db_session_for, sqlite_url, failure, status_code, replies
):
    rasa.failure, rasa.status_code, rasa.replies = failure, status_code, replies
    response = post(client, "can u tell me when my review meeting is")
    assert response.status_code == 200
    [reply] = response.json()["replies"]
    assert "999" in reply["text"] and "0800 1111" in reply["text"]
    assert "saved" in reply["text"]
    inbound, outbound = stored(db_session_for, sqlite_url)
    assert inbound.text == "can u tell me when my review meeting is"
    assert inbound.engine_status in {"engine_unavailable", "no_reply"}
    assert (outbound.author, outbound.text) == ("fallback", reply["text"])


def test_a_real_timeout_gives_the_fallback_within_the_limit(client_for, sqlite_url):
    """A Rasa that never answers: the api gives up after RASA_TIMEOUT_SECONDS, not Twilio's or the browser's."""
    import time

    from fastapi.testclient import TestClient

    from api.config import Settings
    from api.main import create_app

    def hang(request):
        raise httpx.ReadTimeout("took too long", request=request)

    settings = Settings(database_url=sqlite_url, rasa_url="http://rasa.test", rasa_timeout_seconds=0.5)
    with TestClient(create_app(settings, rasa_transport=httpx.MockTransport(hang))) as app_client:
        started = time.monotonic()
        response = post(app_client, "hello?")
        assert time.monotonic() - started < 5
    assert "Childline" in response.json()["replies"][0]["text"]


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"conversation_id": "abcdefgh-1", "text": ""}, 422, "text_empty"),
        ({"conversation_id": "abcdefgh-1", "text": "   \n\t "}, 422, "text_empty"),
        ({"conversation_id": "abcdefgh-1", "text": "a" * 2001}, 422, "text_too_long"),
        ({"conversation_id": "abcdefgh-1", "text": "hi", "name": "x"}, 422, "unknown_field"),
        ({"conversation_id": "abcdefgh-1"}, 422, "missing_field"),
        ({"text": "hi"}, 422, "missing_field"),
        ({"conversation_id": "../../etc", "text": "hi"}, 422, "invalid_conversation"),
        ({"conversation_id": "abcdefgh-1", "text": 5}, 422, "invalid_request"),
        (["not", "an", "object"], 422, "invalid_body"),
    ],
)
def test_bad_requests_get_a_clear_error_and_store_nothing(
    client, rasa, db_session_for, sqlite_url, body, status, code
):
    response = client.post("/chat/messages", json=body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert rasa.requests == []
    assert stored(db_session_for, sqlite_url) == []


def test_malformed_json_is_a_400(client):
    response = client.post("/chat/messages", content=b'{"text": ', headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_a_huge_body_is_refused_before_it_is_read(client, rasa):
    response = client.post(
        "/chat/messages", content=b"x" * (1024 * 1024), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"
    assert rasa.requests == []


def test_exactly_2000_characters_is_accepted(client):
    assert post(client, "é" * 2000).status_code == 200


def test_control_characters_are_dropped_and_emoji_kept(client, rasa, db_session_for, sqlite_url):
    post(client, "help\x00 me 😢\x07")
    assert rasa.requests[0]["message"] == "help me 😢"
    assert stored(db_session_for, sqlite_url)[0].text == "help me 😢"


def test_the_page_is_served_with_no_outside_assets(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<label for="message"' in html and 'role="log"' in html and 'aria-live="polite"' in html
    assert 'name="viewport"' in html
    assert "0800 1111" in html and "999" in html
    assert "not secret" in html
    scripts_and_styles = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert scripts_and_styles and all(url.startswith("http://testserver/static/") for url in scripts_and_styles)
    outside = [url for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html) if "testserver" not in url]
    assert outside == ["https://www.bbc.co.uk/weather"]  # the quick-exit link, and nothing loaded from outside
    assert client.get("/static/chat.js").status_code == 200
    assert client.get("/static/chat.css").status_code == 200
