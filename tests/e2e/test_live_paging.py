"""With real processes: a disclosure in the web chat pages the on-call phone through the fake Twilio."""

import re
import uuid

import httpx
import pytest

from tests.fake_twilio import signed

pytestmark = pytest.mark.live
SAM = "+447700900001"


def _reference(live_stack, conversation):
    """The reference of the escalation opened for this web chat conversation."""
    [(reference,)] = live_stack.query(
        "SELECT e.reference FROM escalation e JOIN conversation c ON c.id = e.conversation_id "
        "WHERE c.external_key = :key",
        key=conversation,
    )
    return reference


def test_a_disclosure_reaches_the_on_call_phone_and_an_ack_by_sms_stops_the_chain(live_stack, fake_twilio_server):
    twilio = fake_twilio_server
    twilio.reset()
    conversation = str(uuid.uuid4())
    replies = live_stack.say(conversation, "my mums boyfriend hits me and i have bruises")
    assert any("I'm telling the duty social worker now" in r for r in replies)
    ref = _reference(live_stack, conversation)
    # earlier tests' chains may still be paging: look for this escalation's page
    page = twilio.wait_until(lambda m: f"ref {ref}." in m.body, timeout=15)
    assert page is not None and page.to == SAM
    assert "bruises" not in page.body

    path, form, headers = signed(live_stack.api_url, "/sms/twilio/staff", {"From": SAM, "Body": f"ack {ref}", "MessageSid": "SM" + "5" * 32})
    assert httpx.post(live_stack.api_url + path, data=form, headers=headers, timeout=10).status_code == 200
    confirmation = twilio.wait_until(lambda m: m.body.startswith(f"Thanks Sam, ref {ref} is yours."), timeout=15)
    assert confirmation is not None and confirmation.to == SAM
    link = re.search(r"(/a/\S+)", confirmation.body).group(1)
    page = httpx.get(live_stack.api_url + link, timeout=10)
    assert "Acknowledged by Sam Duty" in page.text and "bruises" not in page.text
