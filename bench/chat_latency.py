"""Per-message latency through the api vs straight to Rasa, with every process really running.

Run: make bench (or PYTHONPATH=. .venv/bin/python bench/chat_latency.py [messages]).
Needs a trained model (make model). Prints median and p95 for both paths and their ratio.
"""

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live import LiveStack  # noqa: E402

TEXTS = [
    "hi",
    "I need help",
    "can I talk to my social worker",
    "I want to do my return interview",
    "what is this?",
    "thanks",
    "yeah",
    "bye",
]


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which this fraction of the values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(send, count: int) -> list[float]:
    """Send count messages one after another and return each one's latency in milliseconds."""
    latencies = []
    for i in range(count):
        started = time.perf_counter()
        send(TEXTS[i % len(TEXTS)], i)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        stack = LiveStack(Path(workdir)).start()
        try:
            client = httpx.Client(timeout=30)
            run = uuid.uuid4().hex[:8]

            def via_api(text: str, i: int) -> None:
                response = client.post(
                    f"{stack.api_url}/chat/messages",
                    json={"conversation_id": f"bench-{run}-{i // 8}", "text": text},
                )
                response.raise_for_status()

            def straight_to_rasa(text: str, i: int) -> None:
                response = client.post(
                    f"{stack.rasa_url}/webhooks/rest/webhook",
                    json={"sender": f"bench-direct-{run}-{i // 8}", "message": text},
                )
                response.raise_for_status()

            timed(via_api, 16)  # warm up both paths
            timed(straight_to_rasa, 16)
            api = timed(via_api, count)
            rasa = timed(straight_to_rasa, count)
        finally:
            stack.stop_all()

    print(f"messages per path: {count} (sequential, SQLite, every process on this machine)")
    print(f"{'path':<22}{'median ms':>11}{'p95 ms':>10}")
    print(f"{'through the api':<22}{statistics.median(api):>11.1f}{percentile(api, 0.95):>10.1f}")
    print(f"{'straight to Rasa':<22}{statistics.median(rasa):>11.1f}{percentile(rasa, 0.95):>10.1f}")
    print(
        f"api overhead: median x{statistics.median(api) / statistics.median(rasa):.2f}, "
        f"+{statistics.median(api) - statistics.median(rasa):.1f} ms "
        "(storing the message and replies, the safeguarding assessment)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
