"""The conversation store on SQLite and on a real PostgreSQL: schema, time zones, constraints."""

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from api.conversations import service
from api.conversations.flows import handle_inbound
from api.conversations.models import Conversation
from api.database.core import make_db_engine
from api.database.models import Base
from api.rasa_client import RasaClient


def test_migrations_build_exactly_the_models_schema(database_url):
    engine = make_db_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_messages_round_trip_with_utc_times_and_unicode(database_url, db_session_for):
    session = db_session_for(database_url)
    conversation = service.get_or_create(db_session=session, channel="web", external_key="k-1")
    text = "i dont wanna go back there 😢 — ничего ‏مرحبا\n(two lines)"
    service.add_inbound(db_session=session, conversation=conversation, text=text)
    session.commit()

    again = db_session_for(database_url)
    [message] = service.get_messages(db_session=again, conversation_id=conversation.id)
    assert message.text == text
    assert message.created_at.tzinfo is not None
    assert abs(message.created_at - datetime.now(timezone.utc)) < timedelta(minutes=1)


def test_the_same_channel_key_is_the_same_conversation(database_url, db_session_for):
    session = db_session_for(database_url)
    first = service.get_or_create(db_session=session, channel="web", external_key="k-2")
    session.commit()
    assert service.get_or_create(db_session=session, channel="web", external_key="k-2").id == first.id
    assert service.get_or_create(db_session=session, channel="sms", external_key="k-2").id != first.id


def test_a_duplicate_conversation_is_refused_by_the_database(database_url, db_session_for):
    session = db_session_for(database_url)
    session.add(Conversation(channel="web", external_key="k-3"))
    session.commit()
    session.add(Conversation(channel="web", external_key="k-3"))
    with pytest.raises(IntegrityError):
        session.commit()


def test_the_message_survives_when_the_engine_is_unreachable(database_url, db_session_for):
    session = db_session_for(database_url)
    rasa = RasaClient(
        rasa_url="http://127.0.0.1:9", action_server_url="http://127.0.0.1:9", timeout=1, health_timeout=1
    )
    replies = handle_inbound(
        db_session=session, rasa=rasa, channel="web", external_key="k-4", text="when is my review meeting"
    )
    rasa.close()
    assert "999" in replies[0].text
    conversation = service.get_by_external_key(
        db_session=db_session_for(database_url), channel="web", external_key="k-4"
    )
    messages = service.get_messages(db_session=db_session_for(database_url), conversation_id=conversation.id)
    assert [(m.direction, m.engine_status) for m in messages] == [("in", "engine_unavailable"), ("out", None)]


def test_two_first_messages_at_once_share_one_conversation(database_url, db_session_for, monkeypatch):
    """The other message's insert lands between our look-up and our insert: we use theirs."""
    other = db_session_for(database_url)
    first = service.get_or_create(db_session=other, channel="web", external_key="k-race")
    other.commit()

    session = db_session_for(database_url)
    real_lookup = service.get_by_external_key
    calls = []

    def lookup_that_misses_once(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real_lookup(**kwargs)

    monkeypatch.setattr(service, "get_by_external_key", lookup_that_misses_once)
    assert service.get_or_create(db_session=session, channel="web", external_key="k-race").id == first.id
    assert len(calls) == 2


def test_a_detector_failure_escalates_for_a_human_to_check(database_url, db_session_for, monkeypatch):
    from api.conversations import flows
    from api.escalation.models import Escalation
    from sqlalchemy import select

    def broken(*args, **kwargs):
        raise RuntimeError("lexicon missing")

    monkeypatch.setattr(flows, "assess", broken)
    session = db_session_for(database_url)
    rasa = RasaClient(rasa_url="http://127.0.0.1:9", action_server_url="http://127.0.0.1:9", timeout=1, health_timeout=1)
    replies = handle_inbound(db_session=session, rasa=rasa, channel="web", external_key="k-broken", text="hi")
    rasa.close()
    assert "999" in " ".join(r.text for r in replies)
    [escalation] = db_session_for(database_url).scalars(select(Escalation))
    assert escalation.severity == "medium"
