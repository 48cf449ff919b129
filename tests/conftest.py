"""Fixtures shared by the whole suite: databases, the app with a scripted Rasa, live processes."""

import os
import uuid

# Links in pages are built from the process's settings, as in production: set before the app loads.
os.environ["PUBLIC_BASE_URL"] = "https://careline.test"
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.config import Settings
from api.database.core import make_db_engine, make_session_factory
from api.database.migrate import upgrade
from api.main import create_app

from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio

ROOT = Path(__file__).resolve().parent.parent
DEMO_ROTA = ROOT / "api" / "oncall" / "demo_rota.yml"
PUBLIC_BASE_URL = "https://careline.test"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run tests that stop the shared Rasa process after every other test."""
    items.sort(key=lambda item: item.get_closest_marker("stops_rasa") is not None)


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.fail(
            "TEST_DATABASE_URL must name a PostgreSQL database for the storage tests; "
            "`make test` starts one (scripts/test-postgres.sh)."
        )
    return url


def _reset_postgres(url: str) -> None:
    engine = make_db_engine(url)
    with engine.begin() as connection:
        connection.execute(text("SET lock_timeout = '10s'"))
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: a SQLite file, then a real PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'careline-test.db'}"
    else:
        url = _postgres_url()
        _reset_postgres(url)
    upgrade(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated, empty SQLite file, for tests about behaviour rather than storage."""
    url = f"sqlite:///{tmp_path / 'careline-test.db'}"
    upgrade(url)
    return url


@pytest.fixture
def db_session_for() -> Iterator[Callable[[str], Session]]:
    """Open sessions on a database URL, closed at the end of the test."""
    engines, sessions = [], []

    def open_session(url: str) -> Session:
        engine = make_db_engine(url)
        engines.append(engine)
        sessions.append(make_session_factory(engine)())
        return sessions[-1]

    yield open_session
    for session in sessions:
        session.close()
    for engine in engines:
        engine.dispose()


class ScriptedRasa:
    """Plays Rasa's REST channel and the action server's health check over an httpx transport."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.replies: list[dict] = [{"recipient_id": "x", "text": "Hi 👋"}]
        self.failure: Exception | None = None
        self.status_code = 200
        self.on_request: Callable[[dict], None] | None = None

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path in ("/", "/health"):
            if self.failure is not None:
                raise self.failure
            return httpx.Response(200, text="Hello from Rasa: 3.6.21")
        body = httpx.Response(200, content=request.content).json()
        self.requests.append(body)
        if self.on_request:
            self.on_request(body)
        if self.failure is not None:
            raise self.failure
        return httpx.Response(self.status_code, json=self.replies)


@pytest.fixture
def rasa() -> ScriptedRasa:
    """A scripted Rasa the test can make answer, fail or time out."""
    return ScriptedRasa()


@pytest.fixture
def client_for(rasa: ScriptedRasa) -> Iterator[Callable[..., TestClient]]:
    """Start the real app on a database URL (or with given settings), with the scripted Rasa behind it."""
    clients = []

    def start(url: str, settings: Settings | None = None) -> TestClient:
        settings = settings or Settings(database_url=url, rasa_url="http://rasa.test", action_server_url="http://actions.test")
        client = TestClient(create_app(settings, rasa_transport=httpx.MockTransport(rasa.handle)))
        client.__enter__()
        clients.append(client)
        return client

    yield start
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(client_for, sqlite_url) -> TestClient:
    """The app on a fresh SQLite file with the scripted Rasa."""
    return client_for(sqlite_url)


def new_conversation_id() -> str:
    """Return an id like the web page makes."""
    return str(uuid.uuid4())


class Clock:
    """A clock the test moves on by hand: 03:00 on a winter night to start with.

    With follow_real_time() it runs with the real clock (as the app does), still movable by advance().
    """

    def __init__(self, start: datetime) -> None:
        self._fixed = start
        self._offset: timedelta | None = None

    @property
    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self._offset if self._offset is not None else self._fixed

    @now.setter
    def now(self, moment: datetime) -> None:
        self._fixed, self._offset = moment, None

    def follow_real_time(self) -> None:
        self._offset = timedelta(0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        if self._offset is not None:
            self._offset += timedelta(**delta)
        else:
            self._fixed += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc))


@pytest.fixture(scope="session")
def fake_twilio_server() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def twilio(fake_twilio_server: FakeTwilio) -> FakeTwilio:
    """The Twilio-compatible fake, emptied for this test."""
    fake_twilio_server.reset()
    return fake_twilio_server


def paging_settings(url: str, twilio: FakeTwilio, **overrides) -> Settings:
    """Settings that send SMS through the fake Twilio and sign webhooks as it does."""
    values = dict(
        database_url=url,
        rasa_url="http://rasa.test",
        action_server_url="http://actions.test",
        public_base_url=PUBLIC_BASE_URL,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from_number=FROM_NUMBER,
        twilio_api_base_url=twilio.base_url,
        twilio_timeout_seconds=1.0,
        worker_lease_seconds=30,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory: pytest.TempPathFactory, fake_twilio_server: FakeTwilio):
    """Rasa, the action server, the api and the worker as real processes, shared by the live tests."""
    from tests.live import LiveStack

    stack = LiveStack(tmp_path_factory.mktemp("live"), twilio=fake_twilio_server)
    try:
        yield stack.start()
    finally:
        stack.stop_all()
