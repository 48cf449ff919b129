"""The escalation action replies at once and records that the engine saw the disclosure."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import safeguarding
from api.config import get_settings
from api.conversations import service
from api.escalation.models import Escalation
from bot.messages import ESCALATION_FOLLOW_UP_REPLIES, ESCALATION_REPLIES


@pytest.fixture
def action_database(sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    safeguarding.session_factory.cache_clear()
    yield sqlite_url
    get_settings.cache_clear()
    safeguarding.session_factory.cache_clear()


def run_action(sender_id: str, assessment: dict, events: list | None = None) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    tracker = Tracker(sender_id, {}, {"text": "…", "safeguarding": assessment}, events or [], False, None, {}, "")
    events = asyncio.run(safeguarding.ActionSafeguardingEscalate().run(dispatcher, tracker, {}))
    assert events == []
    return dispatcher


def test_replies_then_records_the_escalation(action_database, db_session_for):
    session = db_session_for(action_database)
    conversation = service.get_or_create(db_session=session, channel="web", external_key="k-action")
    session.commit()

    dispatcher = run_action(conversation.id, {"escalate": True, "severity": "high", "categories": ["self_harm"]})

    assert [m["text"] for m in dispatcher.messages] == list(ESCALATION_REPLIES)
    [escalation] = db_session_for(action_database).scalars(select(Escalation))
    assert (escalation.severity, escalation.categories) == ("high", ["self_harm"])
    assert escalation.engine_confirmed_at is not None


def test_the_young_person_is_answered_even_if_recording_fails(action_database):
    dispatcher = run_action("no-such-conversation", {"escalate": True, "severity": "critical", "categories": []})
    assert [m["text"] for m in dispatcher.messages] == list(ESCALATION_REPLIES)


def test_a_second_disclosure_gets_a_shorter_follow_up(action_database):
    earlier = [{"event": "action", "name": "action_safeguarding_escalate"}, {"event": "user", "text": "…"}]
    dispatcher = run_action("no-such-conversation", {"escalate": True, "severity": "high", "categories": []}, earlier)
    assert [m["text"] for m in dispatcher.messages] == list(ESCALATION_FOLLOW_UP_REPLIES)
