"""With real processes: a young person's text reaches Rasa through the signed webhook and the worker."""

import time

import httpx
import pytest

from bot.messages import SMS_OPT_OUT_NOTICE
from tests.fake_twilio import signed

pytestmark = pytest.mark.live
YP = "+447700900888"


def test_a_text_is_answered_by_rasa_by_text(live_stack, fake_twilio_server):
    twilio = fake_twilio_server
    twilio.reset()
    path, form, headers = signed(live_stack.api_url, "/sms/twilio", {"From": YP, "Body": "can I talk to my social worker", "MessageSid": "SM" + "e" * 32})
    started = time.monotonic()
    response = httpx.post(live_stack.api_url + path, data=form, headers=headers, timeout=10)
    assert response.status_code == 200 and time.monotonic() - started < 2  # Twilio is answered at once
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and SMS_OPT_OUT_NOTICE not in [m.body for m in twilio.to(YP)]:
        time.sleep(0.2)
    texts = [m.body for m in twilio.to(YP)]
    assert any("get back to you" in t for t in texts), texts
    assert texts[-1] == SMS_OPT_OUT_NOTICE
