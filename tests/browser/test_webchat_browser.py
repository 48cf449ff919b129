"""The web chat page in a real headless Chromium, against the real running stack."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.live import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.live]

ARTEFACTS = ROOT / "var" / "test-results" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is not installed: run scripts/system-deps.sh (make test does)")
    return path


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A page the size of a small phone."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path))  # what the phone shows, sticky header and box in place
    return path


def test_a_young_person_says_hi_and_sees_the_reply(live_stack, phone_page):
    page = phone_page
    page.goto(live_stack.api_url + "/")
    expect(page.get_by_role("heading", name="Careline")).to_be_visible()
    expect(page.get_by_text("This chat is not secret")).to_be_visible()

    box = page.get_by_label("Your message")
    box.fill("hi")
    box.press("Enter")

    log = page.get_by_role("log")
    expect(log.locator(".msg.me")).to_have_text(["You hi"], use_inner_text=True)
    expect(log.get_by_text("I'm the Careline chat bot", exact=False).last).to_be_visible(timeout=15000)
    expect(box).to_have_value("")
    expect(box).to_be_focused()
    shot(page, "webchat-after-hi")

    page.get_by_role("button", name="My social worker").click()
    expect(log.get_by_text("get back to you", exact=False)).to_be_visible(timeout=15000)
    shot(page, "webchat-social-worker")


def test_keyboard_only_use_and_a_kind_error_for_an_empty_message(live_stack, phone_page):
    page = phone_page
    page.goto(live_stack.api_url + "/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.press("Enter")  # nothing typed
    expect(page.get_by_role("alert")).to_have_text("Your message is empty. Type something, then press Send.")
    page.keyboard.type("what is this?")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(page.get_by_text("I'm a chat bot, not a person")).to_be_visible(timeout=15000)
    shot(page, "webchat-keyboard")


def test_the_page_fits_a_phone_without_sideways_scrolling(live_stack, phone_page):
    page = phone_page
    page.goto(live_stack.api_url + "/")
    page.get_by_label("Your message").fill("I need help")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Childline any time", exact=False).last).to_be_visible(timeout=15000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    expect(page.get_by_role("link", name="Leave this site quickly")).to_be_visible()


def test_a_disclosure_shows_who_will_be_told_and_how_to_get_help_now(live_stack, phone_page):
    page = phone_page
    page.goto(live_stack.api_url + "/")
    box = page.get_by_label("Your message")
    box.fill("my mums boyfriend hits me and im scared to go home")
    box.press("Enter")
    log = page.get_by_role("log")
    expect(log.get_by_text("I'm telling the duty social worker now", exact=False)).to_be_visible(timeout=15000)
    expect(log.get_by_text("call 999", exact=False).last).to_be_visible()
    expect(log.get_by_text("Are you somewhere safe right now?")).to_be_visible()
    shot(page, "webchat-disclosure")
