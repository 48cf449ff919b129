"""The worker: sends queued SMS, moves paging chains on, ends idle takeovers, answers young people's texts.

Run it with `python -m api.worker`; several can run at once against PostgreSQL.
"""

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import inspect
from sqlalchemy.orm import Session, sessionmaker

import api.database.models  # noqa: F401 - every table, so relationships resolve
from api.config import Settings, get_settings
from api.database.core import make_db_engine, make_session_factory
from api.database.types import utcnow
from api.escalation import paging
from api.outbox import service as outbox
from api.outbox.models import FAILED_STATUSES
from api.outbox.senders import make_sender
from api.rasa_client import RasaClient
from api.sms import phones
from api.sms import service as sms
from api.sms.models import SmsContact
from api.takeover import service as takeover

log = logging.getLogger("careline.worker")


@dataclass
class LoopResult:
    """What one loop did."""

    steps_moved: int = 0
    takeovers_ended: int = 0
    outcomes: list[str] = field(default_factory=list)


class Worker:
    """One worker; the clock is a parameter so tests can move time on."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        settings: Settings,
        sender=None,
        name: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        rasa: RasaClient | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.rasa = rasa or RasaClient(
            rasa_url=settings.rasa_url,
            action_server_url=settings.action_server_url,
            timeout=settings.rasa_timeout_seconds,
            health_timeout=settings.health_timeout_seconds,
        )
        self.settings = settings
        self.sender = sender or make_sender(settings)
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{id(self) % 10000}"
        self.clock = clock
        self.status_callback = f"{settings.public_base_url.rstrip('/')}/sms/twilio/status"

    def run_once(self) -> LoopResult:
        """Move due chains on, end idle takeovers, then send what is due."""
        result = LoopResult()
        with self.session_factory() as db_session:
            result.steps_moved = paging.advance_due(db_session=db_session, now=self.clock())
        with self.session_factory() as db_session:
            result.takeovers_ended = takeover.end_idle(
                db_session=db_session, now=self.clock(), idle_seconds=self.settings.takeover_idle_seconds
            )
        with self.session_factory() as db_session:
            claims = outbox.claim_due(
                db_session=db_session, worker=self.name, now=self.clock(),
                lease_seconds=self.settings.worker_lease_seconds,
            )
        for claim in claims:
            result.outcomes.append(self.send(claim))
        with self.session_factory() as db_session:
            outbox.beat(db_session=db_session, worker=self.name, now=self.clock())
        return result

    def send(self, claim: outbox.Claim) -> str:
        """Send one claimed SMS and record what happened; a failed page moves its chain on."""
        callback = self.status_callback if getattr(self.sender, "configured", False) else None
        if claim.sms_contact_id and not claim.to_number:
            with self.session_factory() as db_session:
                contact = db_session.get(SmsContact, claim.sms_contact_id)
                claim = replace(claim, to_number=phones.decrypt(contact.phone_encrypted, self.settings))
        outcome, sent, error = outbox.deliver(claim=claim, sender=self.sender, status_callback=callback)
        if error is not None:
            log.warning("notification %s: %s (%s)", claim.notification_id, outcome, error)
        with self.session_factory() as db_session:
            notification = outbox.record_outcome(
                db_session=db_session, claim=claim, worker=self.name, outcome=outcome,
                sent=sent, error=error, now=self.clock(),
            )
            if notification is not None and notification.status in FAILED_STATUSES:
                paging.page_failed(db_session=db_session, notification=notification, now=self.clock())
                db_session.commit()
        return outcome

    def answer_texts_once(self) -> int:
        """Answer the oldest waiting text of each young person through Rasa; returns how many."""
        with self.session_factory() as db_session:
            claimed = sms.claim_next(db_session=db_session, now=self.clock())
        for inbound_id in claimed:
            with self.session_factory() as db_session:
                sms.answer_one(db_session=db_session, rasa=self.rasa, inbound_id=inbound_id, now=self.clock())
        return len(claimed)

    def _loop(self, stop: threading.Event, step: Callable[[], bool], what: str) -> None:
        while not stop.is_set():
            try:
                busy = step()
            except Exception:
                log.exception("%s failed; trying again", what)
                busy = False
            if not busy:
                stop.wait(self.settings.worker_poll_seconds)

    def run_forever(self, stop: threading.Event) -> None:
        """Page and send in one loop and answer texts in another, so a slow Rasa never delays a page."""
        log.info("worker %s started (%s)", self.name, type(self.sender).__name__)
        texts = threading.Thread(
            target=self._loop, args=(stop, lambda: self.answer_texts_once() > 0, "answering texts"), daemon=True
        )
        texts.start()
        self._loop(stop, lambda: bool(self.run_once().outcomes), "paging loop")
        texts.join(timeout=10)


def main() -> None:
    """Run one worker until SIGINT or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = get_settings()
    engine = make_db_engine(settings.database_url)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # `make run` migrates in the api process; wait for the schema rather than fail on a fresh database.
    while not stop.is_set() and not inspect(engine).has_table("worker_heartbeat"):
        log.info("waiting for the database to be migrated")
        stop.wait(1)
    worker = Worker(session_factory=make_session_factory(engine), settings=settings)
    worker.run_forever(stop)
    engine.dispose()


if __name__ == "__main__":
    main()
