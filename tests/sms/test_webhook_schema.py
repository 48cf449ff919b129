"""Schemathesis throws generated requests, signed and unsigned, at the SMS webhook: none may get a 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from api.config import Settings
from api.conversations.models import Message
from api.main import create_app
from tests.conftest import PUBLIC_BASE_URL
from tests.fake_twilio import signed

SCHEMA = schemathesis.openapi.from_dict(
    create_app(Settings(database_url="sqlite://")).openapi()
)
WEBHOOK = SCHEMA["/sms/twilio"]["POST"]


def _form(body) -> dict[str, str]:
    """Flatten whatever the schema allowed into the text fields a form carries."""
    if not isinstance(body, dict):
        return {}
    return {str(key): value if isinstance(value, str) else str(value) for key, value in body.items()}


@pytest.mark.parametrize("mode", ["signed", "signed-real-ids", "unsigned"])
def test_no_generated_webhook_request_gets_a_server_error(app, session, mode):
    statuses = set()
    count = iter(range(10**6))

    @given(case=WEBHOOK.as_strategy())
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        form = _form(case.body)
        if mode == "signed-real-ids":  # get past the ids so the generated body and fields go all the way in
            n = next(count)
            form.update(MessageSid=f"SM{n:032x}", From=f"+4477009{n % 100000:05d}")
        if mode != "unsigned":
            path, form, headers = signed(PUBLIC_BASE_URL, "/sms/twilio", form)
        else:
            path, headers = "/sms/twilio", {}
        response = app.post(path, data=form, headers=headers)
        statuses.add(response.status_code)
        assert response.status_code < 500, (form, response.text)

    check()
    assert statuses <= {200, 400, 403, 413, 422}
    if mode == "unsigned":
        assert statuses <= {403, 422} and session.scalars(select(Message)).all() == []
    if mode == "signed-real-ids":
        assert 200 in statuses and session.scalars(select(Message)).all()
