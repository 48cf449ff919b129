"""Fixtures for the staff pages: the app with demo accounts, and signed-in clients per role."""

import re

import pytest

from api.staff.users import DEMO_PASSWORD, create_demo_users
from tests.conftest import new_conversation_id, paging_settings
from tests.escalation.conftest import make_worker, paging_db, session  # noqa: F401 - shared fixtures


@pytest.fixture
def staff_app(paging_db, twilio, client_for, clock, session):  # noqa: F811
    """A function giving a fresh client of the app (its own cookie jar) on one database with demo staff."""
    clock.follow_real_time()
    create_demo_users(session)

    def new_client():
        return client_for(paging_db, paging_settings(paging_db, twilio, public_base_url="http://testserver"))

    return new_client


def sign_in(client, username, password=DEMO_PASSWORD, code=""):
    return client.post("/staff/login", data={"username": username, "password": password, "code": code}, follow_redirects=False)


def csrf_of(html):
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture
def as_role(staff_app):
    """Signed-in clients by username (None for nobody signed in)."""
    clients = {}

    def get(username):
        if username not in clients:
            client = staff_app()
            if username:
                assert sign_in(client, username).status_code == 303
            clients[username] = client
        return clients[username]

    return get


@pytest.fixture
def disclosure(staff_app, make_worker, paging_db):  # noqa: F811
    """A young person's disclosure in the web chat, paged: returns the browser id of their chat."""
    chat = staff_app()
    conversation = new_conversation_id()
    assert chat.post("/chat/messages", json={"conversation_id": conversation, "text": "my dad hits me and i have bruises"}).status_code == 200
    make_worker(paging_db).run_once()
    return conversation
