"""With no Twilio account, nothing is lost: SMS wait in the local outbox, shown on a page on this machine."""

from sqlalchemy import select

from api.config import Settings
from api.outbox.models import Notification
from tests.escalation.conftest import SAM, open_escalation


def test_without_twilio_pages_are_kept_and_shown_on_the_outbox_page(session, clock, make_worker, paging_db, client_for, twilio):
    escalation = open_escalation(session, now=clock())
    make_worker(paging_db, twilio_account_sid=None).run_once()
    assert twilio.messages == []
    assert session.scalars(select(Notification.status)).all() == ["held_local"]
    client = client_for(paging_db, Settings(database_url=paging_db, rasa_url="http://rasa.test", action_server_url="http://actions.test"))
    page = client.get("/outbox")
    assert page.status_code == 200
    assert f"ref {escalation.reference}" in page.text and "held_local" in page.text
    assert SAM not in page.text and "…0001" in page.text  # the number is masked


def test_the_outbox_page_is_not_there_when_twilio_is_configured(paging_db, client_for, twilio):
    from tests.conftest import paging_settings

    assert client_for(paging_db, paging_settings(paging_db, twilio)).get("/outbox").status_code == 404
