"""Fixtures for the paging chain: a database with the demo rota, escalations, workers on a test clock."""

from pathlib import Path

import httpx
import pytest

from api.conversations import service as conversations
from api.database.core import make_db_engine, make_session_factory
from api.escalation.service import open_or_update
from api.oncall.load import load
from api.rasa_client import RasaClient
from api.worker import Worker
from tests.conftest import DEMO_ROTA, paging_settings

SAM, KAI, MO = "+447700900001", "+447700900002", "+447700900003"


@pytest.fixture
def paging_db(database_url, clock, db_session_for):
    """A migrated database (SQLite, then PostgreSQL) with the demo rota loaded at the test's time."""
    load(str(DEMO_ROTA), database_url=database_url, now=clock())
    return database_url


@pytest.fixture
def session(paging_db, db_session_for):
    return db_session_for(paging_db)


def write_rota(tmp_path: Path, text: str) -> str:
    path = tmp_path / "rota.yml"
    path.write_text(text)
    return str(path)


def open_escalation(db_session, *, now, severity="high", categories=("self_harm",), key="yp-1"):
    """A young person's conversation with a disclosure that opens an escalation and starts paging."""
    conversation = conversations.get_or_create(db_session=db_session, channel="web", external_key=key)
    db_session.flush()
    escalation = open_or_update(
        db_session=db_session, conversation_id=conversation.id, severity=severity,
        categories=list(categories), now=now,
    )
    db_session.commit()
    return escalation


@pytest.fixture
def make_worker(twilio, clock, rasa):
    """Build workers on the same database and clock, sending through the fake Twilio, with the scripted Rasa."""
    engines = []

    def build(url, name="worker-1", sender=None, **settings):
        engine = make_db_engine(url)
        engines.append(engine)
        return Worker(
            session_factory=make_session_factory(engine),
            settings=paging_settings(url, twilio, **settings),
            sender=sender,
            name=name,
            clock=clock,
            rasa=RasaClient(
                rasa_url="http://rasa.test", action_server_url="http://actions.test",
                timeout=2, health_timeout=1, transport=httpx.MockTransport(rasa.handle),
            ),
        )

    yield build
    for engine in engines:
        engine.dispose()
