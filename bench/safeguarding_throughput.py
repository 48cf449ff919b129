"""Messages per second of bot.safeguarding.assess on one thread over the eval set texts repeated (20k)."""

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.safeguarding import get_detector  # noqa: E402

TARGET = 20_000


def main():
    with open(ROOT / "tests/safeguarding/eval.jsonl", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()]
    started = time.perf_counter()
    detector = get_detector()
    print(f"load: {time.perf_counter() - started:.2f}s")
    for text in texts:
        detector.assess(text)
    messages = (texts * (TARGET // len(texts) + 1))[:TARGET]
    timings = []
    clock = time.perf_counter
    cpu_start = time.process_time()
    total_start = clock()
    for text in messages:
        t0 = clock()
        detector.assess(text)
        timings.append(clock() - t0)
    total = clock() - total_start
    cpu = time.process_time() - cpu_start
    rate = len(messages) / cpu
    print(f"messages: {len(messages)}  wall: {total:.2f}s  cpu: {cpu:.2f}s")
    print(f"throughput: {rate:,.0f} messages/s of CPU time on one core (target >= 2,000); "
          f"wall-clock {len(messages) / total:,.0f}/s (lower when other processes share the core)")
    print(f"median: {statistics.median(timings) * 1e6:.0f} us/message  "
          f"p99: {sorted(timings)[int(len(timings) * 0.99)] * 1e6:.0f} us/message")
    return 0 if rate >= 2000 else 1


if __name__ == "__main__":
    sys.exit(main())
