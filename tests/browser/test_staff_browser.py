"""The staff pages in a real headless Chromium against the running stack: a night on duty, and a caseload wall."""

import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from api.staff.users import DEMO_PASSWORD
from tests.browser.test_webchat_browser import browser, phone_page, shot  # noqa: F401 - shared fixtures

pytestmark = [pytest.mark.browser, pytest.mark.live]


def sign_in(page, base, username):
    page.goto(base + "/staff/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_duty_worker_sees_a_new_alert_live_acknowledges_takes_over_and_replies(live_stack, browser, fake_twilio_server):  # noqa: F811
    worker = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2).new_page()
    child = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2).new_page()
    sign_in(worker, live_stack.api_url, "sam")
    expect(worker.get_by_role("heading", name="Alerts")).to_be_visible()
    shot(worker, "staff-inbox-before")

    fake_twilio_server.reset()
    child.goto(live_stack.api_url + "/")
    child.get_by_label("Your message").fill("my uncle hits me with a belt and i have marks")
    child.get_by_label("Your message").press("Enter")
    expect(child.get_by_text("I'm telling the duty social worker now", exact=False)).to_be_visible(timeout=15000)
    page_text = fake_twilio_server.wait_for(1, timeout=15)[0].body
    ref = re.search(r"ref (\d{4})", page_text).group(1)

    alert = worker.get_by_role("link", name=re.compile(f"Alert {ref}"))
    expect(alert).to_be_visible(timeout=15000)  # no reload: the inbox fetched it
    shot(worker, "staff-inbox-new-alert")
    alert.click()
    expect(worker.get_by_text("Acknowledge the alert to read what the young person wrote.")).to_be_visible()
    worker.get_by_role("button", name="Acknowledge: I'm dealing with it").click()
    expect(worker.get_by_text("It's yours. Nobody else will be paged.")).to_be_visible()
    expect(worker.get_by_text("my uncle hits me with a belt and i have marks")).to_be_visible()
    worker.get_by_role("button", name="Take over the conversation").click()
    worker.get_by_label("Your reply").fill("Hi, I'm Sam from the duty team. Are you somewhere safe right now?")
    worker.get_by_role("button", name="Send").click()
    expect(worker.get_by_text("Sent.")).to_be_visible()
    shot(worker, "staff-escalation-taken-over")

    expect(child.get_by_text("Hi, I'm Sam from the duty team. Are you somewhere safe right now?")).to_be_visible(timeout=15000)
    expect(child.locator(".msg.staff")).to_have_count(1)
    shot(child, "webchat-worker-reply")
    worker.get_by_role("button", name="Hand back to the bot").click()
    expect(child.get_by_text("back with the Careline bot", exact=False)).to_be_visible(timeout=15000)


def test_an_advocate_opens_their_caseload_and_not_another_young_persons(live_stack, browser):  # noqa: F811
    chat_id = str(uuid.uuid4())
    live_stack.say(chat_id, "my dad hits me and i have bruises")
    time.sleep(0.5)
    manager = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(manager, live_stack.api_url, "mo")
    manager.goto(live_stack.api_url + "/staff/conversations?flagged=true")
    first = manager.locator("a.row").first
    pseudonym, href = first.locator("strong").inner_text(), first.get_attribute("href")
    other_href = manager.locator("a.row").nth(1).get_attribute("href")
    manager.goto(live_stack.api_url + "/staff/rota")
    shot(manager, "staff-rota")
    manager.get_by_label("Advocate's username").fill("ada")
    manager.get_by_label("Pseudonym").fill(pseudonym)
    manager.get_by_role("button", name="Assign").click()

    advocate = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2).new_page()
    sign_in(advocate, live_stack.api_url, "ada")
    expect(advocate.get_by_role("link", name=re.compile(pseudonym))).to_be_visible()
    advocate.goto(live_stack.api_url + href)
    expect(advocate.get_by_role("heading", name=re.compile(pseudonym))).to_be_visible()
    shot(advocate, "staff-advocate-transcript")
    response = advocate.goto(live_stack.api_url + other_href)
    assert response.status == 404
    expect(advocate.get_by_text("No conversation you may open has that id.")).to_be_visible()
    shot(advocate, "staff-advocate-refused")
