"""With real processes: a disclosure in the web chat pages the on-call phone through the fake Twilio."""

import re
import uuid

import httpx
import pytest

from tests.fake_twilio import signed

pytestmark = pytest.mark.live
SAM = "+447700900001"


def test_a_disclosure_reaches_the_on_call_phone_and_an_ack_by_sms_stops_the_chain(live_stack, fake_twilio_server):
    twilio = fake_twilio_server
    twilio.reset()
    replies = live_stack.say(str(uuid.uuid4()), "my mums boyfriend hits me and i have bruises")
    assert any("I'm telling the duty social worker now" in r for r in replies)
    [page] = twilio.wait_for(1, timeout=15)
    assert page.to == SAM
    ref = re.search(r"ref (\d{4})", page.body).group(1)
    assert "bruises" not in page.body

    path, form, headers = signed(live_stack.api_url, "/sms/twilio/staff", {"From": SAM, "Body": f"ack {ref}", "MessageSid": "SM" + "5" * 32})
    assert httpx.post(live_stack.api_url + path, data=form, headers=headers, timeout=10).status_code == 200
    confirmation = twilio.wait_for(2, timeout=15)[-1]
    assert confirmation.to == SAM and confirmation.body.startswith(f"Thanks Sam, ref {ref} is yours.")
    link = re.search(r"(/a/\S+)", confirmation.body).group(1)
    page = httpx.get(live_stack.api_url + link, timeout=10)
    assert "Acknowledged by Sam Duty" in page.text and "bruises" not in page.text
