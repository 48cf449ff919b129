"""The social worker action says who will get back to the young person, and when, in London time."""

import asyncio
from datetime import datetime, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.social_worker import ActionSocialWorkerInfo, social_worker_reply


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "moment, expected",
    [
        (utc(2026, 11, 23, 10, 0), "today, before 5pm"),  # Monday 10:00 GMT
        (utc(2026, 11, 23, 8, 59), "today at 9am"),  # Monday 08:59 GMT, before opening
        (utc(2026, 11, 23, 17, 0), "tomorrow at 9am"),  # Monday 17:00 GMT, just closed
        (utc(2026, 11, 27, 18, 0), "on Monday at 9am"),  # Friday evening
        (utc(2026, 11, 28, 3, 0), "on Monday at 9am"),  # Saturday 3 a.m.
        (utc(2026, 7, 6, 16, 30), "tomorrow at 9am"),  # Monday 17:30 BST: closed in London, open in UTC
        (utc(2026, 7, 6, 8, 30), "today, before 5pm"),  # Monday 09:30 BST
    ],
)
def test_reply_depends_on_office_hours_in_london(moment, expected):
    assert expected in social_worker_reply(moment)


def test_out_of_hours_reply_gives_a_way_to_get_help_now():
    reply = social_worker_reply(utc(2026, 11, 24, 2, 0))
    assert "999" in reply and "Emergency Duty Team" in reply


def test_action_sends_one_message_and_sets_nothing():
    action = ActionSocialWorkerInfo(clock=lambda: utc(2026, 11, 23, 10, 0))
    dispatcher = CollectingDispatcher()
    tracker = Tracker("yp-1", {}, {"intent": {"name": "ask_social_worker"}}, [], False, None, {}, "")
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [social_worker_reply(utc(2026, 11, 23, 10, 0))]


def test_the_action_server_finds_every_action_in_the_domain():
    import yaml

    from tests.conftest import ROOT

    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    assert set(domain["actions"]) <= set(executor.actions)
