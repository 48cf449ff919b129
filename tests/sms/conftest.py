"""Fixtures for texts from young people: the app with the fake Twilio, signed webhooks, a worker."""

import pytest

from tests.conftest import PUBLIC_BASE_URL, paging_settings
from tests.escalation.conftest import make_worker, paging_db, session  # noqa: F401 - shared fixtures
from tests.fake_twilio import signed

YP = "+447700900777"


@pytest.fixture
def app(paging_db, twilio, client_for, clock):  # noqa: F811
    clock.follow_real_time()
    return client_for(paging_db, paging_settings(paging_db, twilio))


@pytest.fixture
def worker(make_worker, paging_db):  # noqa: F811
    return make_worker(paging_db)


class Phone:
    """A young person's phone: texts the service through signed webhooks and reads what came back."""

    def __init__(self, app, twilio, worker, number=YP):
        self.app, self.twilio, self.worker, self.number = app, twilio, worker, number
        self.sent = 0

    def text(self, body, sid=None, media=0, answer=True):
        self.sent += 1
        sid = sid or f"SM{self.number[-6:]}{self.sent:026d}"
        path, form, headers = signed(PUBLIC_BASE_URL, "/sms/twilio", {"From": self.number, "To": "+447700900999", "Body": body, "MessageSid": sid, "NumMedia": str(media)})
        response = self.app.post(path, data=form, headers=headers)
        assert response.status_code == 200, response.text
        assert response.text == '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
        if answer:
            self.worker.answer_texts_once()
            self.worker.run_once()
        return response

    def inbox(self):
        return [m.body for m in self.twilio.to(self.number)]


@pytest.fixture
def phone(app, twilio, worker):
    return Phone(app, twilio, worker)
