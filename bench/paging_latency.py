"""Paging speed: from a disclosure being stored to the page reaching (a fake) Twilio, and worker throughput.

Run: make bench (or PYTHONPATH=. .venv/bin/python bench/paging_latency.py [disclosures]).
Needs a trained model (make model): Rasa, the action server, the api and the worker run as real
processes on a SQLite file, with the worker polling every 0.5 s as `make run` does.
Target: p95 under 2 s.
"""

import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from api.config import Settings  # noqa: E402
from api.conversations.models import Message  # noqa: E402
from api.database.core import make_db_engine, make_session_factory  # noqa: E402
from api.database.migrate import upgrade  # noqa: E402
from api.escalation.models import Assessment, Escalation  # noqa: E402
from api.outbox import service as outbox  # noqa: E402
from api.worker import Worker  # noqa: E402
from bench.chat_latency import percentile  # noqa: E402
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio  # noqa: E402
from tests.live import LiveStack  # noqa: E402

DISCLOSURES = [
    "my mums boyfriend hits me and i have bruises",
    "i want to kill myself tonight",
    "theres a man outside my house and hes got a knife",
    "i owe them money and they said they will hurt me if i dont carry for them",
    "my uncle touches me when nobody is home",
]


def page_latency(count: int, twilio: FakeTwilio) -> list[float]:
    """Send `count` disclosures through the real api; return stored-to-Twilio seconds for each."""
    with tempfile.TemporaryDirectory() as tmp:
        stack = LiveStack(Path(tmp), twilio=twilio)
        stack.env["WORKER_POLL_SECONDS"] = "0.5"
        stack.start()
        try:
            for n in range(count):
                stack.say(str(uuid.uuid4()), DISCLOSURES[n % len(DISCLOSURES)])
            # Critical disclosures page two people: wait for a page for every disclosure.
            deadline = time.monotonic() + 60
            while len({m.body.split("ref ", 1)[1][:4] for m in twilio.messages}) < count:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            received = list(twilio.messages)
            engine = make_db_engine(stack.database_url)
            with make_session_factory(engine)() as session:
                stored = {
                    ref: at
                    for ref, at in session.execute(
                        select(Escalation.reference, Message.created_at)
                        .join(Assessment, Assessment.escalation_id == Escalation.id)
                        .join(Message, Message.id == Assessment.message_id)
                        .order_by(Message.id.desc())
                    )
                }
            engine.dispose()
        finally:
            stack.stop_all()
    latencies = []
    for message in received:
        ref = message.body.split("ref ", 1)[1][:4]
        if ref in stored:
            latencies.append((message.created - stored.pop(ref)).total_seconds())
    return latencies


def worker_throughput(count: int, twilio: FakeTwilio) -> float:
    """Queue `count` SMS and time one worker sending them all; returns messages per second."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/throughput.db"
        upgrade(url)
        engine = make_db_engine(url)
        factory = make_session_factory(engine)
        with factory() as session:
            for n in range(count):
                outbox.enqueue(db_session=session, kind="staff_reply", to_number="+447700900001", body=f"bench {n}")
            session.commit()
        settings = Settings(
            database_url=url, twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
            twilio_from_number=FROM_NUMBER, twilio_api_base_url=twilio.base_url,
        )
        worker = Worker(session_factory=factory, settings=settings, name="bench")
        started = time.perf_counter()
        while len(twilio.messages) < count:
            if not worker.run_once().outcomes:
                break
        elapsed = time.perf_counter() - started
        engine.dispose()
    return count / elapsed


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    twilio = FakeTwilio().start()
    latencies = page_latency(count, twilio)
    print(f"pages: {len(latencies)} of {count} disclosures reached the fake Twilio")
    print(
        f"stored -> page at Twilio: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms (target p95 < 2000 ms)"
    )
    twilio.reset()
    rate = worker_throughput(500, twilio)
    print(f"one worker sends {rate:.0f} SMS per second (500 queued, SQLite, local fake Twilio)")
    twilio.stop()


if __name__ == "__main__":
    main()
